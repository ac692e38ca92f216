import { Box, Button, Group, Loader, Text, ThemeIcon } from '@mantine/core';
import { IconCheck, IconPlugConnected, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { api, errorMessage } from '../../../../api/client';
import type { ChannelTestResult } from '../../../../api/types';

/** What POST /inboxes/channel-test takes: secrets left out come from `inbox_id`. */
export interface ChannelTestRequest {
  channel: string;
  settings: Record<string, string>;
  inbox_id?: string;
}

interface Props {
  request: ChannelTestRequest;
  /** The provider's name in sentences ("Telegram"). */
  provider: string;
  /** Checks the settings first; false stops the test (the form shows why). */
  validate?: () => boolean;
  /** Explains a refused request (a form puts field errors on its inputs and returns the rest). */
  explainError?: (error: unknown) => string;
  variant?: 'default' | 'light';
  /** After every answer (the server may have updated the inbox's connection state). */
  onTested?: () => void;
}

interface Outcome {
  /** The settings tested: a result is shown only while they are still the ones in the form. */
  signature: string;
  ok?: boolean;
  error?: string;
}

/** Signs in to the provider's API with the settings and says whether that worked, in the provider's words when not. */
export function ChannelTest({ request, provider, validate, explainError = errorMessage, variant = 'default', onTested }: Props) {
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const signature = JSON.stringify(request);
  const shown = outcome?.signature === signature ? outcome : null;

  const run = async () => {
    if (validate && !validate()) return;
    setRunning(true);
    setOutcome(null);
    try {
      const result = await api.post<ChannelTestResult>('/inboxes/channel-test', request);
      setOutcome({ signature, ok: result.ok, error: result.ok ? undefined : (result.error ?? `${provider} gave no reason.`) });
    } catch (err) {
      setOutcome({ signature, ok: false, error: explainError(err) });
    } finally {
      setRunning(false);
      onTested?.();
    }
  };

  return (
    <Box>
      <Group gap="sm" wrap="wrap">
        <Button variant={variant} leftSection={<IconPlugConnected size={16} />} disabled={running} aria-busy={running || undefined} onClick={() => void run()}>
          {running ? 'Testing…' : 'Test connection'}
        </Button>
        {!running && !shown && (
          <Text size="xs" c="dimmed">
            Signs in to {provider}; nothing is sent.
          </Text>
        )}
      </Group>
      <Box role="status" aria-live="polite" aria-label="Connection test" mt={running || shown ? 'xs' : 0}>
        {running && (
          <Group gap="xs" wrap="nowrap">
            <Loader size="xs" />
            <Text size="sm" c="dimmed">
              Asking {provider}…
            </Text>
          </Group>
        )}
        {shown && (
          <Group gap="xs" wrap="nowrap" align="flex-start" data-result={shown.ok ? 'ok' : 'failed'}>
            <ThemeIcon size={20} radius="xl" variant="light" color={shown.ok ? 'teal' : 'red'} aria-hidden mt={1}>
              {shown.ok ? <IconCheck size={14} /> : <IconX size={14} />}
            </ThemeIcon>
            <Box style={{ minWidth: 0 }}>
              <Text size="sm" fw={600} c={shown.ok ? undefined : 'red'}>
                {shown.ok ? 'Connection works' : 'Connection failed'}
              </Text>
              {shown.error && (
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {shown.error}
                </Text>
              )}
            </Box>
          </Group>
        )}
      </Box>
    </Box>
  );
}

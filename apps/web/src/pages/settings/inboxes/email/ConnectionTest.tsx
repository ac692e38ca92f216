import { Box, Button, Group, Loader, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconCheck, IconPlugConnected, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { api, errorMessage } from '../../../../api/client';
import type { ConnectionTestResult, ImapInput, MailServerInput } from '../../../../api/types';

/** What POST /inboxes/connection-test takes: passwords left out come from `inbox_id`. */
export interface ConnectionTestRequest {
  inbox_id?: string;
  imap?: ImapInput;
  smtp?: MailServerInput;
}

interface Props {
  request: ConnectionTestRequest;
  /** Checks the settings first; false stops the test (the form shows why). */
  validate?: () => boolean;
  /** Explains a refused request (a form puts field errors on its inputs and returns the rest). */
  explainError?: (error: unknown) => string;
  variant?: 'default' | 'light';
  /** After every answer (the server may have updated the inbox's connection state). */
  onTested?: () => void;
}

interface Outcome {
  /** The settings tested: a result is only shown while they are still the ones in the form. */
  signature: string;
  result?: ConnectionTestResult;
  error?: string;
}

const serverNames = { imap: 'IMAP (fetching mail)', smtp: 'SMTP (sending replies)' } as const;

/** Tries IMAP and SMTP settings against the real servers and says how each went; it can take a while. */
export function ConnectionTest({ request, validate, explainError = errorMessage, variant = 'default', onTested }: Props) {
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const signature = JSON.stringify(request);
  const shown = outcome?.signature === signature ? outcome : null;
  const servers = (['imap', 'smtp'] as const).filter((s) => request[s]);

  const run = async () => {
    if (validate && !validate()) return;
    setRunning(true);
    setOutcome(null);
    try {
      setOutcome({ signature, result: await api.post<ConnectionTestResult>('/inboxes/connection-test', request) });
    } catch (err) {
      setOutcome({ signature, error: explainError(err) });
    } finally {
      setRunning(false);
      onTested?.();
    }
  };

  return (
    <Stack gap="xs">
      <Group gap="sm" wrap="wrap">
        <Button variant={variant} leftSection={<IconPlugConnected size={16} />} disabled={running} aria-busy={running || undefined} onClick={() => void run()}>
          {running ? 'Testing…' : 'Test connection'}
        </Button>
        {!running && !shown && (
          <Text size="xs" c="dimmed">
            Signs in to {servers.length > 1 ? 'both servers' : 'the server'} without sending or fetching anything.
          </Text>
        )}
      </Group>
      <Box role="status" aria-live="polite" aria-label="Connection test">
        {running && (
          <Group gap="xs" wrap="nowrap">
            <Loader size="xs" />
            <Text size="sm" c="dimmed">
              Connecting to {servers.map((s) => request[s]?.host).join(' and ')}… This can take a few seconds.
            </Text>
          </Group>
        )}
        {shown?.error && <ResultRow ok={false} title="Could not test the connection" detail={shown.error} />}
        {shown?.result && (
          <Stack gap={6}>
            {servers.map((server) => {
              const answer = shown.result?.[server];
              if (!answer) return null;
              return (
                <ResultRow
                  key={server}
                  ok={answer.ok}
                  title={`${serverNames[server]}: ${answer.ok ? 'connected' : 'failed'}`}
                  detail={answer.ok ? null : (answer.error ?? 'The server gave no reason.')}
                />
              );
            })}
          </Stack>
        )}
      </Box>
    </Stack>
  );
}

function ResultRow({ ok, title, detail }: { ok: boolean; title: string; detail: string | null }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" data-result={ok ? 'ok' : 'failed'}>
      <ThemeIcon size={20} radius="xl" variant="light" color={ok ? 'teal' : 'red'} aria-hidden mt={1}>
        {ok ? <IconCheck size={14} /> : <IconX size={14} />}
      </ThemeIcon>
      <Box style={{ minWidth: 0 }}>
        <Text size="sm" fw={600} c={ok ? undefined : 'red'}>
          {title}
        </Text>
        {detail && (
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {detail}
          </Text>
        )}
      </Box>
    </Group>
  );
}

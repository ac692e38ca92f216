import { Alert, Button, Code, Group, PasswordInput, Skeleton, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, errorMessage } from '../../../api/client';
import { assistKeys, useAiSettings, type AiSettings } from '../../../api/assist';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState } from '../../../components/QueryStates';
import { AdminOnly } from '../SettingsLayout';
import { SettingsCard } from '../SettingsCard';

/** Settings → AI assist: the workspace's OpenAI-compatible model endpoint. */
export function AiAssistSettings() {
  return (
    <Stack gap="lg">
      <PageHeader
        title="AI assist"
        description="Reply drafts and conversation summaries for agents, and answer bot replies phrased from your articles, through any OpenAI-compatible model server — a hosted one or your own. Off by default; everything else works without it."
      />
      <AdminOnly>
        <AiCard />
      </AdminOnly>
    </Stack>
  );
}

function AiCard() {
  const settings = useAiSettings();
  return (
    <SettingsCard
      title="Model endpoint"
      description={
        <>
          Rapport sends <Code>POST {'{base URL}'}/chat/completions</Code> with the conversation or the article passages. Model servers on your own network need their address in <Code>AI_ALLOW_PRIVATE_HOSTS</Code>.
        </>
      }
    >
      {settings.isPending && <Skeleton h={220} aria-label="Loading the AI assist settings" />}
      {settings.isError && <ErrorState title="Could not load the AI assist settings" error={settings.error} onRetry={() => void settings.refetch()} />}
      {settings.data && <AiForm key={JSON.stringify(settings.data)} initial={settings.data} />}
    </SettingsCard>
  );
}

function AiForm({ initial }: { initial: AiSettings }) {
  const queryClient = useQueryClient();
  const [enabled, setEnabled] = useState(initial.enabled);
  const [baseUrl, setBaseUrl] = useState(initial.base_url);
  const [model, setModel] = useState(initial.model);
  const [apiKey, setApiKey] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<{ ok: boolean; message: string } | null>(null);
  const changed = enabled !== initial.enabled || baseUrl !== initial.base_url || model !== initial.model || apiKey !== '';

  const save = async () => {
    setSaving(true);
    setErrors({});
    setFormError(null);
    setTest(null);
    try {
      const saved = await api.put<AiSettings>('/ai/settings', { enabled, base_url: baseUrl.trim(), model: model.trim(), ...(apiKey ? { api_key: apiKey } : {}) });
      queryClient.setQueryData(assistKeys.ai, saved);
      void queryClient.invalidateQueries({ queryKey: assistKeys.status });
      notifications.show({ color: 'teal', message: 'AI assist saved' });
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.length) setErrors(Object.fromEntries(err.fieldErrors.map((f) => [f.field, f.message])));
      else setFormError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  const removeKey = async () => {
    try {
      const saved = await api.put<AiSettings>('/ai/settings', { api_key: '' });
      queryClient.setQueryData(assistKeys.ai, saved);
      notifications.show({ color: 'teal', message: 'API key removed' });
    } catch (err) {
      setFormError(errorMessage(err));
    }
  };

  const runTest = async () => {
    setTesting(true);
    setTest(null);
    try {
      setTest(await api.post<{ ok: boolean; message: string }>('/ai/settings/test'));
    } catch (err) {
      setTest({ ok: false, message: errorMessage(err) });
    } finally {
      setTesting(false);
    }
  };

  return (
    <Stack gap="md">
      {formError && (
        <Alert color="red" variant="light" role="alert">
          {formError}
        </Alert>
      )}
      <Switch label="Use AI assist in this workspace" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
      <TextInput
        label="Base URL"
        description="Such as https://api.openai.com/v1, or your own server’s /v1 address."
        placeholder="https://api.openai.com/v1"
        value={baseUrl}
        onChange={(e) => setBaseUrl(e.currentTarget.value)}
        error={errors.base_url}
        maw={480}
      />
      <TextInput label="Model" placeholder="gpt-4o-mini" value={model} onChange={(e) => setModel(e.currentTarget.value)} error={errors.model} maw={360} />
      <Stack gap={4}>
        <PasswordInput
          label="API key"
          description={initial.api_key_set ? 'A key is stored; it is never shown. Type a new one to replace it.' : 'Leave empty for servers that need none.'}
          placeholder={initial.api_key_set ? '••••••••' : ''}
          value={apiKey}
          onChange={(e) => setApiKey(e.currentTarget.value)}
          error={errors.api_key}
          autoComplete="off"
          maw={480}
        />
        {initial.api_key_set && (
          <Text size="xs">
            <Button variant="subtle" size="compact-xs" color="red" onClick={() => void removeKey()}>
              Remove the stored key
            </Button>
          </Text>
        )}
      </Stack>
      {test && (
        <Alert color={test.ok ? 'teal' : 'red'} variant="light" role="status" title={test.ok ? 'Connected' : 'The model did not answer'}>
          {test.message}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={() => void runTest()} loading={testing} disabled={changed || !initial.enabled}>
          Test connection
        </Button>
        <Button onClick={() => void save()} loading={saving} disabled={!changed}>
          Save AI assist
        </Button>
      </Group>
    </Stack>
  );
}

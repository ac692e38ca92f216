import { Alert, Anchor, Button, Group, Skeleton, Slider, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../../api/client';
import { applyServerErrors, stateForm } from '../../../lib/forms';
import { assistKeys, useAiSettings, useAnswerBot, type AnswerBotSettings } from '../../../api/assist';
import { ErrorState } from '../../../components/QueryStates';
import { SettingsCard } from '../SettingsCard';

/** Settings → Inboxes → an inbox: the answer bot that replies first from the help center. */
export function AnswerBotCard({ inboxId }: { inboxId: string }) {
  const bot = useAnswerBot(inboxId);
  return (
    <SettingsCard
      title="Answer bot"
      description="Answers customers first from your published help articles, quoting the best passage with a link, and gets a person when asked, when unsure, or when the answer did not help. Routing waits while it answers."
    >
      {bot.isPending && <Skeleton h={200} aria-label="Loading the answer bot settings" />}
      {bot.isError && <ErrorState title="Could not load the answer bot settings" error={bot.error} onRetry={() => void bot.refetch()} />}
      {bot.data && <AnswerBotForm key={JSON.stringify(bot.data)} initial={bot.data} />}
    </SettingsCard>
  );
}

function AnswerBotForm({ initial }: { initial: AnswerBotSettings }) {
  const queryClient = useQueryClient();
  const ai = useAiSettings();
  const [enabled, setEnabled] = useState(initial.enabled);
  const [threshold, setThreshold] = useState(Math.round(initial.threshold * 100));
  const [name, setName] = useState(initial.bot_name);
  const [handover, setHandover] = useState(initial.handover_message);
  const [generative, setGenerative] = useState(initial.generative);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const changed =
    enabled !== initial.enabled || threshold !== Math.round(initial.threshold * 100) || name !== initial.bot_name || handover !== initial.handover_message || generative !== initial.generative;
  const aiReady = ai.data?.enabled === true;

  const save = async () => {
    if (!name.trim()) return setErrors({ bot_name: 'Give the bot a name' });
    setSaving(true);
    setErrors({});
    setFormError(null);
    try {
      const saved = await api.put<AnswerBotSettings>(`/inboxes/${initial.inbox_id}/answer-bot`, { enabled, threshold: threshold / 100, bot_name: name.trim(), handover_message: handover.trim(), generative });
      queryClient.setQueryData(assistKeys.answerBot(initial.inbox_id), saved);
      notifications.show({ color: 'teal', message: 'Answer bot saved' });
    } catch (err) {
      setFormError(applyServerErrors(stateForm({ bot_name: name, handover_message: handover }, setErrors), err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="md">
      {formError && (
        <Alert color="red" variant="light" role="alert">
          {formError}
        </Alert>
      )}
      <Switch label="Answer customers first with the bot" description="Off by default. Only published, public articles are ever quoted." checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
      <TextInput label="Bot name" description="Shown to customers above the bot’s messages." value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.bot_name} maxLength={60} maw={360} required />
      <Stack gap={4}>
        <Text size="sm" fw={500} id="answer-bot-threshold">
          Confidence needed to answer: {threshold}%
        </Text>
        <Text size="xs" c="dimmed">
          Below this, the bot says it is not sure and gets a person instead of guessing. Higher means fewer but surer answers.
        </Text>
        <Slider
          value={threshold}
          onChange={setThreshold}
          min={0}
          max={100}
          step={5}
          label={(v) => `${v}%`}
          maw={360}
          thumbProps={{ 'aria-labelledby': 'answer-bot-threshold' }}
          marks={[
            { value: 0, label: '0%' },
            { value: 50, label: '50%' },
            { value: 100, label: '100%' },
          ]}
          mb="md"
        />
      </Stack>
      <Textarea
        label="Handover message"
        description={`What the bot says when it gets a person. Empty: “${initial.default_handover_message}”`}
        value={handover}
        onChange={(e) => setHandover(e.currentTarget.value)}
        error={errors.handover_message}
        autosize
        minRows={2}
        maxLength={500}
      />
      <Switch
        label="Phrase answers with AI assist"
        description={
          aiReady ? (
            'The workspace’s model rewords the retrieved passages (only them) into an answer; the article is still cited. If the model fails, the bot quotes the passage.'
          ) : (
            <>
              Needs a model endpoint in{' '}
              <Anchor component={Link} to="/settings/ai-assist" size="xs">
                Settings → AI assist
              </Anchor>
              ; until then the bot quotes the passage.
            </>
          )
        }
        checked={generative}
        onChange={(e) => setGenerative(e.currentTarget.checked)}
      />
      <Group justify="flex-end">
        <Button onClick={() => void save()} loading={saving} disabled={!changed}>
          Save answer bot
        </Button>
      </Group>
    </Stack>
  );
}

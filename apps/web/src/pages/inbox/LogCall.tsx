// "Log a call": an agent records a call made or taken outside Rapport (a callback from their own
// phone, say) as a call entry in the conversation, with them as its agent.
import { Button, Group, Modal, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPhonePlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { api, ApiError, errorMessage } from '../../api/client';
import { keys } from '../../api/queries';
import type { Conversation, Message } from '../../api/types';

type Direction = 'inbound' | 'outbound';
type Outcome = 'answered' | 'missed' | 'voicemail' | 'no_answer';

interface CallLog {
  direction: Direction;
  outcome: Outcome;
  duration_seconds?: number;
  notes?: string;
  client_id: string;
}

/** "5:30", "1:02:05" or plain minutes ("12") → seconds; null when it is none of those. */
export function parseDuration(text: string): number | null {
  const t = text.trim();
  if (/^\d{1,4}$/.test(t)) return Number(t) * 60;
  const parts = /^(?:(\d{1,2}):)?(\d{1,3}):([0-5]\d)$/.exec(t);
  if (!parts) return null;
  return Number(parts[1] ?? 0) * 3600 + Number(parts[2]) * 60 + Number(parts[3]);
}

const outcomesFor = (direction: Direction) =>
  direction === 'outbound'
    ? [
        { value: 'answered', label: 'Answered' },
        { value: 'no_answer', label: 'No answer' },
        { value: 'voicemail', label: 'Left voicemail' },
      ]
    : [
        { value: 'answered', label: 'Answered' },
        { value: 'missed', label: 'Missed' },
        { value: 'voicemail', label: 'Voicemail' },
      ];

export function LogCall({ conversation, compact }: { conversation: Conversation; compact?: boolean }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [direction, setDirection] = useState<Direction>('outbound');
  const [outcome, setOutcome] = useState<Outcome>('answered');
  const [duration, setDuration] = useState('');
  const [notes, setNotes] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  // One id per call being logged: a retry after a lost answer never logs it twice.
  const clientId = useRef(crypto.randomUUID());
  const queryClient = useQueryClient();
  const log = useMutation({
    mutationFn: (body: CallLog) => api.post<Message>(`/conversations/${conversation.id}/calls`, body),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: 'Call logged' });
      clientId.current = crypto.randomUUID();
      setDuration('');
      setNotes('');
      close();
    },
    onError: (err) => {
      const details = err instanceof ApiError && Array.isArray(err.details) ? (err.details as Array<{ field?: string; message?: string }>) : [];
      const byField = Object.fromEntries(details.filter((d) => d.field).map((d) => [d.field!, d.message ?? 'is not valid']));
      setProblems(Object.keys(byField).length ? byField : { form: errorMessage(err) });
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: keys.messages(conversation.id) });
      void queryClient.invalidateQueries({ queryKey: keys.conversation(conversation.id) });
    },
  });
  const takesDuration = outcome === 'answered' || outcome === 'voicemail';

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const seconds = takesDuration && duration.trim() ? parseDuration(duration) : undefined;
    if (seconds === null) return setProblems({ duration_seconds: 'write minutes and seconds, such as 5:30, or whole minutes' });
    setProblems({});
    log.mutate({ direction, outcome, client_id: clientId.current, ...(seconds !== undefined ? { duration_seconds: seconds } : {}), ...(notes.trim() ? { notes: notes.trim() } : {}) });
  };

  return (
    <>
      <Button size="xs" variant="default" leftSection={compact ? undefined : <IconPhonePlus size={14} />} onClick={open} aria-haspopup="dialog">
        {compact ? 'Call' : 'Log a call'}
      </Button>
      <Modal opened={opened} onClose={close} title="Log a call">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Stack gap={4}>
              <Text size="sm" fw={500} id="log-call-direction">
                Direction
              </Text>
              <SegmentedControl
                aria-labelledby="log-call-direction"
                value={direction}
                onChange={(v) => {
                  setDirection(v as Direction);
                  if ((v === 'outbound' && outcome === 'missed') || (v === 'inbound' && outcome === 'no_answer')) setOutcome('answered');
                }}
                data={[
                  { value: 'outbound', label: 'We called' },
                  { value: 'inbound', label: 'They called' },
                ]}
              />
            </Stack>
            <Stack gap={4}>
              <Text size="sm" fw={500} id="log-call-outcome">
                Outcome
              </Text>
              <SegmentedControl aria-labelledby="log-call-outcome" value={outcome} onChange={(v) => setOutcome(v as Outcome)} data={outcomesFor(direction)} />
              {problems.outcome && (
                <Text size="xs" c="red" role="alert">
                  Outcome {problems.outcome}
                </Text>
              )}
            </Stack>
            {takesDuration && (
              <TextInput
                label="Duration"
                description="Minutes and seconds, such as 5:30"
                placeholder="5:30"
                value={duration}
                onChange={(e) => setDuration(e.currentTarget.value)}
                error={problems.duration_seconds ? `Duration: ${problems.duration_seconds}` : undefined}
                inputMode="numeric"
              />
            )}
            <Textarea label="Notes" placeholder="What was said or agreed" autosize minRows={2} maxRows={6} maxLength={2000} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} error={problems.notes} />
            {problems.form && (
              <Text size="sm" c="red" role="alert">
                {problems.form}
              </Text>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={log.isPending}>
                Log call
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

// A call in the thread: which way it went, how it ended, how long it took, who took it, and for
// a voicemail its recording (played in place) and transcription. A callback request from the
// chat shows the number and when to call.
import { Badge, Box, Group, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconPhoneCall, IconPhoneIncoming, IconPhoneOutgoing, IconPhoneX, IconVoice, type Icon } from '@tabler/icons-react';
import type { CallDetails, CallStatus, Message } from '../../api/types';
import type { Formatters } from '../../lib/format';

const outcome: Record<CallStatus, { label: string; color: string }> = {
  ringing: { label: 'Ringing', color: 'blue' },
  answered: { label: 'Answered', color: 'teal' },
  completed: { label: 'Answered', color: 'teal' },
  missed: { label: 'Missed', color: 'red' },
  no_answer: { label: 'No answer', color: 'orange' },
  voicemail: { label: 'Voicemail', color: 'grape' },
  requested: { label: 'Callback requested', color: 'indigo' },
};

function iconOf(call: CallDetails): Icon {
  if (call.status === 'requested') return IconPhoneCall;
  if (call.status === 'voicemail' && call.direction === 'inbound') return IconVoice;
  if (call.status === 'missed' || call.status === 'no_answer') return IconPhoneX;
  return call.direction === 'inbound' ? IconPhoneIncoming : IconPhoneOutgoing;
}

/** 42 → "0:42", 3725 → "1:02:05". */
export function callDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** Only this server's files are played: a URL from elsewhere is never loaded. */
function sameOrigin(url: string): string | null {
  try {
    const parsed = new URL(url, window.location.origin);
    return parsed.origin === window.location.origin ? parsed.pathname + parsed.search : null;
  } catch {
    return null;
  }
}

function when(call: CallDetails, fmt: Formatters): string | null {
  if (!call.preferred_time) return null;
  if (call.preferred_time === 'asap') return 'As soon as possible';
  return /^\d{4}-\d{2}-\d{2}T/.test(call.preferred_time) ? fmt.dateTime(call.preferred_time) : call.preferred_time;
}

export function CallEntry({ message, fmt }: { message: Message; fmt: Formatters }) {
  const call = message.call;
  if (!call) return null;
  const ItemIcon = iconOf(call);
  const { label, color } = outcome[call.status];
  const customer = (call.direction === 'inbound' ? call.from : call.to) ?? 'Unknown number';
  const heading = call.status === 'requested' ? `Call back ${customer}` : call.direction === 'inbound' ? `Call from ${customer}` : `Call to ${customer}`;
  const recording = call.recording ? message.attachments?.find((a) => a.id === call.recording) : undefined;
  const src = recording ? sameOrigin(recording.url) : null;
  const at = call.at ?? message.created_at;
  const preferred = when(call, fmt);

  return (
    <Box component="li" data-kind="call" data-call-status={call.status} aria-label={`${label}: ${heading}`}>
      <Paper withBorder radius="md" p="sm" maw={{ base: '100%', sm: 520 }} mx="auto">
        <Group gap="sm" align="flex-start" wrap="nowrap">
          <ThemeIcon variant="light" color={color} radius="xl" size="lg" aria-hidden>
            <ItemIcon size={18} />
          </ThemeIcon>
          <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
            <Group gap={6} wrap="wrap">
              <Text size="sm" fw={600}>
                {heading}
              </Text>
              <Badge size="xs" variant="light" color={color}>
                {label}
              </Badge>
              {call.duration_seconds !== null && (
                <Text size="xs" c="dimmed" aria-label={`Duration ${callDuration(call.duration_seconds)}`}>
                  {callDuration(call.duration_seconds)}
                </Text>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              <time dateTime={at} title={fmt.dateTime(at)}>
                {fmt.smart(at)}
              </time>
              {call.direction === 'outbound' && call.status !== 'requested' ? ' · Outgoing' : call.status !== 'requested' ? ' · Incoming' : ''}
              {call.agent ? ` · ${call.logged_by_hand ? 'Logged by' : 'Taken by'} ${call.agent.name}` : ''}
            </Text>
            {preferred && (
              <Text size="sm">
                Preferred time: <b>{preferred}</b>
              </Text>
            )}
            {src && (
              <audio controls preload="metadata" src={src} aria-label={`Voicemail recording from ${customer}`} style={{ width: '100%', maxWidth: 360 }}>
                <a href={src}>Download the recording</a>
              </audio>
            )}
            {call.recording_error && (
              <Text size="xs" c="red">
                {call.recording_error}
              </Text>
            )}
            {call.transcription && (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                <Text span size="xs" c="dimmed" display="block">
                  Transcription
                </Text>
                {call.transcription}
              </Text>
            )}
            {call.notes && (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {call.notes}
              </Text>
            )}
          </Stack>
        </Group>
      </Paper>
    </Box>
  );
}

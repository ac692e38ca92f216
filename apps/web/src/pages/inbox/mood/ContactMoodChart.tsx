import { Group, Skeleton, Stack, Text } from '@mantine/core';
import { isApiError } from '../../../api/client';
import { useHeldConversation } from '../../../api/queries';
import { moodColors, moodLabels, useContactMood, type ContactMoodPoint } from '../../../api/mood';
import { ErrorState } from '../../../components/QueryStates';
import { useFormat } from '../../../lib/format';
import { SidebarSection } from '../SidebarSection';

const WIDTH = 240;
const HEIGHT = 64;
const PAD = 6;

/**
 * The customer's mood over time: one dot per message the model read, coloured by mood, on a line
 * from -1 (angry) to 1 (happy). A hand-drawn SVG rather than a chart library: one small sparkline
 * does not justify recharts' weight in the agent app, and an SVG takes the theme's colours as CSS
 * variables and reads out as one sentence to a screen reader.
 */
export function ContactMoodChart({ contactId, conversationId }: { contactId: string; conversationId: string }) {
  const open = useHeldConversation(conversationId);
  const mood = useContactMood(contactId, `${open?.mood ?? ''}:${open?.mood_trend ?? ''}:${open?.sentiment ?? ''}`);
  return (
    <SidebarSection title="Mood over time">
      {mood.isPending ? (
        <Skeleton height={HEIGHT} aria-label="Loading the customer’s mood" />
      ) : mood.isError ? (
        isApiError(mood.error, 'not_found') ? null : <ErrorState title="Could not load the mood" error={mood.error} onRetry={() => void mood.refetch()} />
      ) : mood.data.points.length === 0 ? (
        <Text size="sm" c="dimmed">
          No message from this customer has been read for mood yet.
        </Text>
      ) : (
        <MoodSparkline points={mood.data.points} average={mood.data.sentiment} />
      )}
    </SidebarSection>
  );
}

function summary(points: ContactMoodPoint[], average: number | null): string {
  const first = points[0];
  const last = points[points.length - 1];
  const span = points.length === 1 ? `one message, ${moodLabels[last.mood].toLowerCase()}` : `${points.length} messages, from ${moodLabels[first.mood].toLowerCase()} to ${moodLabels[last.mood].toLowerCase()}`;
  return `Mood over ${span}${average !== null ? `; average sentiment ${average.toFixed(2)} on a scale from -1 to 1` : ''}`;
}

function MoodSparkline({ points, average }: { points: ContactMoodPoint[]; average: number | null }) {
  const fmt = useFormat();
  const x = (i: number) => (points.length === 1 ? WIDTH / 2 : PAD + (i * (WIDTH - 2 * PAD)) / (points.length - 1));
  const y = (sentiment: number) => PAD + ((1 - sentiment) / 2) * (HEIGHT - 2 * PAD);
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.sentiment).toFixed(1)}`).join(' ');
  const last = points[points.length - 1];
  const label = summary(points, average);
  return (
    <Stack gap={4}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" height={HEIGHT} role="img" aria-label={label} data-testid="contact-mood-chart" preserveAspectRatio="none">
        <title>{label}</title>
        <line x1={0} x2={WIDTH} y1={y(0)} y2={y(0)} stroke="var(--mantine-color-default-border)" strokeDasharray="3 3" vectorEffect="non-scaling-stroke" />
        {points.length > 1 && <polyline points={line} fill="none" stroke="var(--mantine-color-dimmed)" strokeWidth={1.5} vectorEffect="non-scaling-stroke" />}
        {points.map((p, i) => (
          <circle key={`${p.at}-${i}`} cx={x(i)} cy={y(p.sentiment)} r={3} fill={`var(--mantine-color-${moodColors[p.mood]}-6)`} data-mood={p.mood}>
            <title>{`${moodLabels[p.mood]} (${p.sentiment.toFixed(2)}), ${fmt.dateTime(p.at)}`}</title>
          </circle>
        ))}
      </svg>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed">
          {fmt.date(points[0].at)}
        </Text>
        <Text size="xs">
          Latest:{' '}
          <Text span size="xs" fw={600} c={`${moodColors[last.mood]}.7`}>
            {moodLabels[last.mood]}
          </Text>
        </Text>
      </Group>
    </Stack>
  );
}

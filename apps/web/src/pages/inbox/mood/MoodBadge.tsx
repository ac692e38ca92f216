import { Badge, Tooltip } from '@mantine/core';
import { IconMoodAngry, IconMoodSad, IconTrendingDown } from '@tabler/icons-react';
import { isUpset, moodColors, moodDescription, moodLabels, type ConversationMood } from '../../../api/mood';

/**
 * Flags a conversation whose customer is angry or getting worse, in the list and the header. Calm
 * and happy conversations show nothing: a badge on every row would be noise nobody reads.
 */
export function MoodBadge({ conversation, size = 'xs' }: { conversation: ConversationMood; size?: 'xs' | 'sm' }) {
  if (!conversation.mood || !isUpset(conversation)) return null;
  const worsening = conversation.mood_trend === 'worsening';
  const description = moodDescription(conversation);
  const Icon = worsening ? IconTrendingDown : conversation.mood === 'angry' ? IconMoodAngry : IconMoodSad;
  return (
    <Tooltip label={description}>
      <Badge
        size={size}
        variant={conversation.mood === 'angry' ? 'filled' : 'light'}
        color={moodColors[conversation.mood]}
        leftSection={<Icon size={12} aria-hidden />}
        aria-label={description}
        // A named image to assistive technology: the badge says the whole of it, trend included.
        role="img"
        data-mood={conversation.mood}
        data-trend={conversation.mood_trend ?? undefined}
      >
        {moodLabels[conversation.mood]}
      </Badge>
    </Tooltip>
  );
}

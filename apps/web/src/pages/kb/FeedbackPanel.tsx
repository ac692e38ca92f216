// What readers said: views, "Was this helpful?" votes and the comments left with them.
import { Badge, Group, Paper, Progress, Skeleton, Stack, Text } from '@mantine/core';
import { IconThumbDown, IconThumbUp } from '@tabler/icons-react';
import { errorMessage } from '../../api/client';
import { useFormat } from '../../lib/format';
import { useKbFeedback } from './kbApi';

export function FeedbackPanel({ articleId }: { articleId: string }) {
  const feedback = useKbFeedback(articleId);
  const { relative } = useFormat();
  const f = feedback.data;
  const votes = f ? f.helpful_count + f.unhelpful_count : 0;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="kb-feedback-title">
      <Stack gap="sm">
        <Text fw={600} size="sm" id="kb-feedback-title">
          Feedback
        </Text>
        {feedback.isPending ? (
          <Skeleton height={40} />
        ) : feedback.isError ? (
          <Text size="sm" c="red">
            Could not load feedback: {errorMessage(feedback.error)}
          </Text>
        ) : f ? (
          <>
            <Group gap="lg">
              <div>
                <Text size="lg" fw={600}>
                  {f.view_count.toLocaleString()}
                </Text>
                <Text size="xs" c="dimmed">
                  views
                </Text>
              </div>
              <div>
                <Text size="lg" fw={600}>
                  {f.helpful_percent === null ? '—' : `${f.helpful_percent}%`}
                </Text>
                <Text size="xs" c="dimmed">
                  helpful ({votes} vote{votes === 1 ? '' : 's'})
                </Text>
              </div>
              <div>
                <Text size="lg" fw={600}>
                  {f.deflection_count.toLocaleString()}
                </Text>
                <Text size="xs" c="dimmed">
                  answered without a chat
                </Text>
              </div>
            </Group>
            {votes > 0 && <Progress value={f.helpful_percent ?? 0} color="teal" aria-label={`${f.helpful_percent}% found it helpful`} />}
            {f.comments.length === 0 ? (
              <Text size="sm" c="dimmed">
                No comments from readers yet.
              </Text>
            ) : (
              <Stack gap="xs">
                {f.comments.map((c, i) => (
                  <Stack key={i} gap={2}>
                    <Group gap={6}>
                      {c.helpful ? <IconThumbUp size={14} color="var(--mantine-color-teal-6)" aria-label="Helpful" /> : <IconThumbDown size={14} color="var(--mantine-color-red-6)" aria-label="Not helpful" />}
                      <Badge size="xs" variant="outline" color="gray">
                        {c.locale}
                      </Badge>
                      <Text size="xs" c="dimmed">
                        {relative(c.created_at)}
                      </Text>
                    </Group>
                    {/* Plain text: React escapes it. */}
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                      {c.comment}
                    </Text>
                  </Stack>
                ))}
              </Stack>
            )}
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}

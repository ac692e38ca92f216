import { Skeleton, Stack, Text } from '@mantine/core';
import { useHeldConversation } from '../../api/queries';
import { useAssignments } from '../../api/routing';
import { useFormat } from '../../lib/format';
import { SidebarSection } from './SidebarSection';

const ruleLabels: Record<string, string> = { round_robin: 'Round robin', least_loaded: 'Least loaded' };

/**
 * Why the conversation went to its agent, when a routing rule picked them: the rule and what it
 * weighed (load against capacity, online, matching skills). Nothing for an assignment by hand.
 */
export function WhyThisAgent({ conversationId }: { conversationId: string }) {
  const conversation = useHeldConversation(conversationId);
  const assigneeId = conversation?.assignee?.id ?? null;
  const assignments = useAssignments(conversationId, assigneeId);
  const fmt = useFormat();
  if (!assigneeId) return null;
  if (assignments.isPending) return <Skeleton h={48} aria-label="Loading why this agent" />;
  // The newest entry must be this assignee's pick: after a reassignment by hand there is no rule to explain.
  const latest = assignments.data?.[0];
  if (!latest || latest.assignee?.id !== assigneeId) return null;
  return (
    <SidebarSection title="Why this agent?">
      <Stack gap={4}>
        <Text size="sm">
          {ruleLabels[latest.rule] ?? latest.rule} picked {latest.assignee.name} {fmt.relative(latest.created_at)}.
        </Text>
        <Text size="sm" c="dimmed" data-testid="assignment-reason">
          {latest.reason}
        </Text>
      </Stack>
    </SidebarSection>
  );
}

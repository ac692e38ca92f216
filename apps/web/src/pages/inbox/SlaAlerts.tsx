import { Anchor, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router-dom';
import { slaTargetLabels, type SlaTarget } from '../../api/sla';
import type { Conversation } from '../../api/types';
import { useRealtimeEvents } from '../../lib/realtime';

/**
 * A live alert when an SLA warning or breach fires on a conversation that is nobody's yet, for
 * whoever has the inbox open. The assignee and followers hear of their own conversations through
 * the notification centre (the server notifies them), so they get no second alert here.
 */
export function SlaAlerts() {
  const navigate = useNavigate();
  useRealtimeEvents((event) => {
    if (event.event !== 'sla.warning' && event.event !== 'sla.breached') return;
    const data = event.data as { conversation?: Conversation | null; sla?: { target: SlaTarget; policy?: { name: string } } };
    const c = data.conversation;
    if (!c || !data.sla || c.assignee) return;
    const breached = event.event === 'sla.breached';
    const what = `${slaTargetLabels[data.sla.target] ?? 'SLA'} ${breached ? 'breached' : 'due soon'}`;
    notifications.show({
      id: `${event.event}:${c.id}:${data.sla.target}`,
      color: breached ? 'red' : 'yellow',
      title: what,
      message: (
        <Text size="sm">
          <Anchor component="button" type="button" onClick={() => void navigate(`/inbox/${c.id}`)}>
            {c.subject || c.contact?.name || 'A conversation'}
          </Anchor>
          {data.sla.policy ? ` (${data.sla.policy.name})` : ''}
        </Text>
      ),
    });
  });
  return null;
}

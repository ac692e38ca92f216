import { Badge } from '@mantine/core';
import type { DeliveryStatus, Webhook } from '../../../api/webhooks';

/** On, switched off by an admin, or switched off by Rapport (its reason is said beside it). */
export function WebhookStateBadge({ webhook }: { webhook: Webhook }) {
  if (webhook.enabled) {
    return (
      <Badge variant="light" color="teal">
        On
      </Badge>
    );
  }
  return (
    <Badge variant="light" color={webhook.disabled_reason ? 'red' : 'gray'}>
      {webhook.disabled_reason ? 'Switched off' : 'Off'}
    </Badge>
  );
}

const deliveryBadges: Record<DeliveryStatus, { color: string; label: string }> = {
  pending: { color: 'blue', label: 'Pending' },
  delivered: { color: 'teal', label: 'Delivered' },
  failed: { color: 'red', label: 'Failed' },
};

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  const { color, label } = deliveryBadges[status];
  return (
    <Badge variant="light" color={color}>
      {label}
    </Badge>
  );
}

import { Badge } from '@mantine/core';

/** Whether a macro or canned response is the whole team's or only its author's. */
export function SharedBadge({ shared }: { shared: boolean }) {
  return (
    <Badge size="xs" variant="light" color={shared ? 'blue' : 'gray'}>
      {shared ? 'Shared' : 'Only you'}
    </Badge>
  );
}

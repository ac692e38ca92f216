import { Badge } from '@mantine/core';
import { channelIcon, channelLabel } from '../../inbox/inbox';

export function ChannelBadge({ channel }: { channel: string }) {
  const ChannelIcon = channelIcon(channel);
  return (
    <Badge variant="light" color={channel === 'email' ? 'cyan' : 'indigo'} leftSection={<ChannelIcon size={12} />}>
      {channelLabel(channel)}
    </Badge>
  );
}

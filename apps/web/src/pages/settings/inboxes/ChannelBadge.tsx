import { Badge } from '@mantine/core';
import { channelIcon, channelLabel } from '../../inbox/inbox';

const channelColors: Record<string, string> = { email: 'cyan', api: 'grape', sms: 'orange', whatsapp: 'green', messenger: 'blue', instagram: 'pink', telegram: 'blue', phone: 'teal' };

/** The colour a channel is shown in (badges, the channel choice). */
export const channelColor = (channel: string): string => channelColors[channel] ?? 'indigo';

export function ChannelBadge({ channel }: { channel: string }) {
  const ChannelIcon = channelIcon(channel);
  return (
    <Badge variant="light" color={channelColor(channel)} leftSection={<ChannelIcon size={12} />}>
      {channelLabel(channel)}
    </Badge>
  );
}

import { Alert, Button, Group, Modal, Radio, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { useChannels } from '../../../api/queries';
import type { ChannelInfo } from '../../../api/types';
import { channelIcon, channelLabel } from '../../inbox/inbox';
import { channelColor } from './ChannelBadge';
import { inSentence } from './messaging/channelForm';

/** webchat, email, api, or one of the server's messaging channels (GET /channels). */
export type NewInboxChannel = string;

interface Choice {
  channel: NewInboxChannel;
  label: string;
  description: string;
}

const builtIn: Choice[] = [
  { channel: 'webchat', label: 'Live chat', description: 'A chat on your website. You paste a snippet into your pages.' },
  { channel: 'email', label: 'Email', description: 'A support address. Rapport fetches its mail and sends your replies by SMTP.' },
  { channel: 'api', label: 'API', description: 'For your own sources: create conversations by API, receive replies at your webhook.' },
];

/** "the bot token", "the account SID, auth token and sender": what the provider's form asks for. */
function needs(info: ChannelInfo): string {
  const asked = info.fields.filter((f) => !f.generated && !f.optional).map((f) => inSentence(f.label));
  if (asked.length === 0) return '';
  const list = asked.length > 1 ? `${asked.slice(0, -1).join(', ')} and ${asked[asked.length - 1]}` : asked[0];
  return ` You need the ${list}.`;
}

const messagingChoice = (info: ChannelInfo): Choice => ({
  channel: info.channel,
  label: info.label,
  description: `Customers write to you on ${channelLabel(info.channel)}; replies go back there.${needs(info)}`,
});

interface Props {
  opened: boolean;
  onClose: () => void;
  onChoose: (channel: NewInboxChannel) => void;
}

/** The first step of "New inbox": which way customers reach this inbox (the built-in channels and every messaging provider the server has). */
export function ChannelChoiceModal({ opened, onClose, onChoose }: Props) {
  const [channel, setChannel] = useState<NewInboxChannel>('webchat');
  const channels = useChannels();
  return (
    <Modal opened={opened} onClose={onClose} title="New inbox" size="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onChoose(channel);
        }}
      >
        <Stack gap="md">
          <Radio.Group value={channel} onChange={setChannel} label="How do customers reach this inbox?">
            <Stack gap="sm" mt="xs">
              {builtIn.map((c) => (
                <ChoiceCard key={c.channel} choice={c} />
              ))}
              {(channels.isPending || (channels.data?.length ?? 0) > 0) && (
                <Text size="xs" fw={600} c="dimmed" tt="uppercase" mt="xs">
                  Messaging apps
                </Text>
              )}
              {channels.isPending && (
                <Stack gap="sm" aria-busy="true" aria-label="Loading messaging channels">
                  <Skeleton height={68} radius="md" />
                  <Skeleton height={68} radius="md" />
                </Stack>
              )}
              {channels.data?.map((info) => (
                <ChoiceCard key={info.channel} choice={messagingChoice(info)} />
              ))}
              {channels.isError && (
                <Alert color="red" variant="light" role="alert" title="Could not load the messaging channels">
                  <Stack gap="xs" align="flex-start">
                    <Text size="sm">{channels.error.message}</Text>
                    <Button size="xs" variant="white" color="red" leftSection={<IconRefresh size={14} />} onClick={() => void channels.refetch()}>
                      Retry
                    </Button>
                  </Stack>
                </Alert>
              )}
            </Stack>
          </Radio.Group>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" data-autofocus>
              Continue
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ChoiceCard({ choice }: { choice: Choice }) {
  const Icon = channelIcon(choice.channel);
  return (
    <Radio.Card value={choice.channel} p="md" radius="md" aria-label={choice.label} aria-description={choice.description}>
      <Group wrap="nowrap" align="flex-start" gap="md">
        <Radio.Indicator mt={2} />
        <ThemeIcon variant="light" color={channelColor(choice.channel)} size={36} radius="md" aria-hidden>
          <Icon size={20} />
        </ThemeIcon>
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text fw={600} size="sm">
            {choice.label}
          </Text>
          <Text size="sm" c="dimmed">
            {choice.description}
          </Text>
        </Stack>
      </Group>
    </Radio.Card>
  );
}

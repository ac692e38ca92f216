import { Button, Group, Modal, Radio, Stack, Text, ThemeIcon } from '@mantine/core';
import { useState } from 'react';
import { channelIcon } from '../../inbox/inbox';
import { channelColor } from './ChannelBadge';

export type NewInboxChannel = 'webchat' | 'email' | 'api';

const choices: Array<{ channel: NewInboxChannel; label: string; description: string }> = [
  { channel: 'webchat', label: 'Live chat', description: 'A chat on your website. You paste a snippet into your pages.' },
  { channel: 'email', label: 'Email', description: 'A support address. Rapport fetches its mail and sends your replies by SMTP.' },
  { channel: 'api', label: 'API', description: 'For your own sources: create conversations by API, receive replies at your webhook.' },
];

interface Props {
  opened: boolean;
  onClose: () => void;
  onChoose: (channel: NewInboxChannel) => void;
}

/** The first step of "New inbox": which way customers reach this inbox. */
export function ChannelChoiceModal({ opened, onClose, onChoose }: Props) {
  const [channel, setChannel] = useState<NewInboxChannel>('webchat');
  return (
    <Modal opened={opened} onClose={onClose} title="New inbox" size="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onChoose(channel);
        }}
      >
        <Stack gap="md">
          <Radio.Group value={channel} onChange={(v) => setChannel(v as NewInboxChannel)} label="How do customers reach this inbox?">
            <Stack gap="sm" mt="xs">
              {choices.map((c) => {
                const Icon = channelIcon(c.channel);
                return (
                  <Radio.Card key={c.channel} value={c.channel} p="md" radius="md" aria-label={c.label} aria-description={c.description}>
                    <Group wrap="nowrap" align="flex-start" gap="md">
                      <Radio.Indicator mt={2} />
                      <ThemeIcon variant="light" color={channelColor(c.channel)} size={36} radius="md" aria-hidden>
                        <Icon size={20} />
                      </ThemeIcon>
                      <Stack gap={2} style={{ minWidth: 0 }}>
                        <Text fw={600} size="sm">
                          {c.label}
                        </Text>
                        <Text size="sm" c="dimmed">
                          {c.description}
                        </Text>
                      </Stack>
                    </Group>
                  </Radio.Card>
                );
              })}
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

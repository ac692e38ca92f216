import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconClock, IconClockOff, IconTemplate } from '@tabler/icons-react';
import { useState } from 'react';
import { useChannel, useHeldConversation } from '../../../api/queries';
import { useFormat } from '../../../lib/format';
import { channelLabel } from '../inbox';
import { timeLeft, useWindowState } from './replyWindow';
import { TemplateModal } from './TemplateModal';

/**
 * Above the reply box on channels with a reply window (WhatsApp): a quiet "window closes in 3 h"
 * while free-form replies go out; once it closed, says so and offers to send an approved template.
 */
export function ReplyWindowNote({ conversationId, onTemplateSent }: { conversationId: string; onTemplateSent?: () => void }) {
  const conversation = useHeldConversation(conversationId);
  const window = conversation?.reply_window;
  const state = useWindowState(window);
  const { info } = useChannel(window ? conversation?.channel : undefined);
  const fmt = useFormat();
  const [templates, setTemplates] = useState({ opened: false, key: 0 });
  if (!conversation || !window || !state) return null;
  const provider = channelLabel(conversation.channel);
  const hours = info?.reply_window_hours;

  if (state.open) {
    if (state.left === null || !window.closes_at) return null;
    return (
      <Text size="xs" c="dimmed" mb="xs" style={{ display: 'flex', alignItems: 'center', gap: 4 }} title={`Free-form replies until ${fmt.dateTime(window.closes_at)}`} data-reply-window="open">
        <IconClock size={12} aria-hidden />
        {provider} window closes in {timeLeft(state.left)}
      </Text>
    );
  }

  const within = hours ? ` within ${hours} hours of the customer’s last message` : ' for a while after the customer last wrote';
  return (
    <>
      <Alert variant="light" color="yellow" icon={<IconClockOff size={18} />} mb="xs" py="xs" data-reply-window="closed" title={state.never ? `The customer has not written on ${provider} yet` : `The ${provider} window is closed`}>
        <Stack gap={6}>
          <Text size="sm">
            {provider} takes free-form replies only{within}. Send an approved template instead; when the customer answers, you can write freely again.
          </Text>
          <Group gap="xs">
            <Button size="xs" variant="light" color="yellow" autoContrast leftSection={<IconTemplate size={14} />} onClick={() => setTemplates((t) => ({ opened: true, key: t.key + 1 }))}>
              Send a template
            </Button>
          </Group>
        </Stack>
      </Alert>
      <TemplateModal key={templates.key} opened={templates.opened} conversationId={conversationId} provider={provider} onSent={onTemplateSent} onClose={() => setTemplates((t) => ({ ...t, opened: false }))} />
    </>
  );
}

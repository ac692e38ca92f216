import { ActionIcon, Badge, Box, Button, Collapse, Drawer, Group, Stack, Text, Title, Tooltip, useMantineTheme } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { IconAdjustmentsHorizontal, IconArrowLeft, IconUser, IconUserCheck } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router-dom';
import type { Conversation, ConversationChanges } from '../../api/types';
import { useFormat } from '../../lib/format';
import { useSession } from '../../lib/session';
import { ContinueByEmail } from './ContinueByEmail';
import { LogCall } from './LogCall';
import { ConversationMenu } from './handling/ConversationMenu';
import { MacrosMenu } from './MacrosMenu';
import { ConversationProperties } from './ConversationProperties';
import { CustomerSidebar } from './CustomerSidebar';
import classes from './Inbox.module.css';
import { SlaBadge } from './SlaBadge';
import { MoodBadge } from './mood/MoodBadge';
import { channelIcon, channelLabel, contactName, isProviderChannel, priorityLabels, statusColors, statusLabels } from './inbox';
import { StatusControl } from './StatusControl';

interface Props {
  conversation: Conversation;
  onChange: (changes: ConversationChanges) => void;
  saving: ConversationChanges | undefined;
}

/** Who and what the conversation is about, its status, and its assignee, team, priority and tags. */
export function ConversationHeader({ conversation, onChange, saving }: Props) {
  const { user: me } = useSession();
  const { search } = useLocation();
  const fmt = useFormat();
  const theme = useMantineTheme();
  // On phones the properties fold away behind a "Details" button, leaving room for the thread.
  const wide = useMediaQuery(`(min-width: ${theme.breakpoints.sm})`, true, { getInitialValueInEffect: false });
  const [details, { toggle }] = useDisclosure(false);
  const [customer, customerDrawer] = useDisclosure(false);
  const mine = conversation.assignee?.id === me.id;
  const busy = saving !== undefined;
  const ChannelIcon = channelIcon(conversation.channel);

  return (
    <Stack className={classes.paneHeader} gap="sm">
      <Stack gap={4} style={{ minWidth: 0 }}>
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Tooltip label="Back to conversations">
            <ActionIcon component={Link} to={`/inbox${search}`} variant="subtle" color="gray" hiddenFrom="md" aria-label="Back to conversations" ml={-6}>
              <IconArrowLeft size={18} />
            </ActionIcon>
          </Tooltip>
          <Title order={2} size="h4" lineClamp={2} style={{ minWidth: 0 }}>
            {conversation.subject || 'No subject'}
          </Title>
        </Group>
        <Group gap={6} wrap="wrap">
          <Text size="sm" fw={500}>
            {contactName(conversation)}
          </Text>
          {conversation.contact?.email && conversation.contact.name && (
            <Text size="sm" c="dimmed" truncate>
              {conversation.contact.email}
            </Text>
          )}
          <Tooltip label={`${channelLabel(conversation.channel)} inbox`}>
            <Badge size="sm" variant="default" tt="none" fw={500} leftSection={<ChannelIcon size={12} />} maw="100%" data-channel={conversation.channel}>
              {/* A messaging app says which one: the inbox's name may not. */}
              {isProviderChannel(conversation.channel) ? `${channelLabel(conversation.channel)} · ${conversation.inbox.name}` : conversation.inbox.name}
            </Badge>
          </Tooltip>
          <MoodBadge conversation={conversation} size="sm" />
          <SlaBadge sla={conversation.sla} size="sm" />
          {conversation.status === 'snoozed' && (
            <Badge size="sm" variant="light" color={statusColors.snoozed}>
              {statusLabels.snoozed}
              {conversation.snoozed_until ? ` until ${fmt.smart(conversation.snoozed_until)}` : ''}
            </Badge>
          )}
        </Group>
      </Stack>
      <Group justify="space-between" gap="xs" wrap="wrap">
        <StatusControl conversation={conversation} onChange={onChange} busy={busy} compact={!wide} />
        <Group gap="xs" wrap="wrap">
          {!mine && (
            <Button size="xs" variant="light" leftSection={<IconUserCheck size={14} />} onClick={() => onChange({ assignee_id: me.id })} disabled={busy}>
              Assign to me
            </Button>
          )}
          <MacrosMenu conversationId={conversation.id} />
          <ContinueByEmail conversation={conversation} compact={!wide} />
          <LogCall conversation={conversation} compact={!wide} />
          <ConversationMenu conversation={conversation} />
          {conversation.contact && (
            <Button size="xs" variant="default" leftSection={<IconUser size={14} />} onClick={customerDrawer.open} hiddenFrom="xl" aria-haspopup="dialog">
              Customer
            </Button>
          )}
        </Group>
      </Group>
      {conversation.contact && (
        <Drawer opened={customer} onClose={customerDrawer.close} position="right" size={wide ? 360 : '100%'} title="Customer" hiddenFrom="xl">
          <CustomerSidebar contactId={conversation.contact.id} conversationId={conversation.id} />
        </Drawer>
      )}
      {wide ? (
        <ConversationProperties conversation={conversation} onChange={onChange} saving={saving} />
      ) : (
        <Box>
          <Button
            size="xs"
            variant="subtle"
            color="gray"
            leftSection={<IconAdjustmentsHorizontal size={14} />}
            onClick={toggle}
            aria-expanded={details}
            px={6}
            ml={-6}
          >
            {details ? 'Hide details' : `Details · ${conversation.assignee?.name ?? 'Unassigned'} · ${priorityLabels[conversation.priority]}`}
          </Button>
          <Collapse expanded={details}>
            <Box pt="xs">
              <ConversationProperties conversation={conversation} onChange={onChange} saving={saving} />
            </Box>
          </Collapse>
        </Box>
      )}
    </Stack>
  );
}

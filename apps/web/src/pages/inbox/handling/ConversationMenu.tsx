import { ActionIcon, Menu, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowMerge, IconBell, IconBellOff, IconDots } from '@tabler/icons-react';
import { errorMessage } from '../../../api/client';
import { useFollow, useFollowers } from '../../../api/handling';
import type { Conversation } from '../../../api/types';
import { MergeModal } from './MergeModal';

/** The conversation's "more" menu: follow or stop following, and merge another conversation into it. */
export function ConversationMenu({ conversation }: { conversation: Conversation }) {
  const followers = useFollowers(conversation.id);
  const follow = useFollow(conversation.id);
  const [merging, mergeModal] = useDisclosure(false);
  const following = followers.data?.following ?? false;
  const others = (followers.data?.data ?? []).map((f) => f.name);

  const toggleFollow = () =>
    follow.mutate(!following, {
      onSuccess: (data) => notifications.show({ color: 'teal', message: data.following ? 'You follow this conversation: new messages reach your notifications' : 'You no longer follow this conversation' }),
      onError: (err) => notifications.show({ color: 'red', title: 'Could not change that', message: errorMessage(err) }),
    });

  return (
    <>
      <Menu position="bottom-end" withinPortal shadow="md">
        <Menu.Target>
          <Tooltip label="More actions">
            <ActionIcon variant="default" size="md" aria-label="More conversation actions">
              <IconDots size={16} />
            </ActionIcon>
          </Tooltip>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={following ? <IconBellOff size={14} /> : <IconBell size={14} />} onClick={toggleFollow} disabled={followers.isPending || follow.isPending}>
            {following ? 'Unfollow' : 'Follow'}
          </Menu.Item>
          {others.length > 0 && <Menu.Label>Followed by {others.join(', ')}</Menu.Label>}
          <Menu.Divider />
          <Menu.Item leftSection={<IconArrowMerge size={14} />} onClick={mergeModal.open}>
            Merge…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {merging && <MergeModal conversation={conversation} onClose={mergeModal.close} />}
    </>
  );
}

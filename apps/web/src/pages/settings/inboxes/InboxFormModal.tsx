import type { Inbox } from '../../../api/types';
import { isProviderChannel } from '../../inbox/inbox';
import { ApiInboxModal } from './api/ApiInboxModal';
import type { NewInboxChannel } from './ChannelChoiceModal';
import { EmailInboxModal } from './email/EmailInboxModal';
import { InboxModal } from './InboxModal';
import { MessagingInboxModal } from './messaging/MessagingInboxModal';

interface Props {
  opened: boolean;
  /** null creates a new inbox of `channel`; otherwise the inbox's own channel decides. */
  inbox: Inbox | null;
  channel?: NewInboxChannel;
  onClose: () => void;
  onSaved?: (inbox: Inbox, created: boolean) => void;
}

/** The create/edit form that fits the inbox's channel. */
export function InboxFormModal({ channel, ...props }: Props) {
  const chosen = props.inbox?.channel ?? channel;
  if (chosen === 'email') return <EmailInboxModal {...props} />;
  if (chosen === 'api') return <ApiInboxModal {...props} />;
  // Every messaging provider's form is built from its fields (GET /channels).
  if (chosen && isProviderChannel(chosen)) return <MessagingInboxModal {...props} channel={chosen} />;
  return <InboxModal {...props} />;
}

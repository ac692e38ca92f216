import type { Inbox } from '../../../api/types';
import { ApiInboxModal } from './api/ApiInboxModal';
import type { NewInboxChannel } from './ChannelChoiceModal';
import { EmailInboxModal } from './email/EmailInboxModal';
import { InboxModal } from './InboxModal';

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
  return <InboxModal {...props} />;
}

import { ActionIcon, Loader, Tooltip } from '@mantine/core';
import { IconSparkles } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../../../api/client';
import { assist, useAiStatus } from '../../../api/assist';

/**
 * "Draft reply": the workspace's model writes a draft of the next reply into the composer, for the
 * agent to read and change before sending. Nothing is sent. Shown only while AI assist is on.
 */
export function DraftReplyButton({ conversationId, disabled, onDraft, onError }: { conversationId: string; disabled?: boolean; onDraft: (text: string) => void; onError: (message: string) => void }) {
  const status = useAiStatus();
  const [busy, setBusy] = useState(false);
  if (!status.data?.enabled) return null;
  const draft = async () => {
    setBusy(true);
    try {
      onDraft((await assist(conversationId, 'draft')).text);
    } catch (err) {
      onError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Tooltip label="Draft a reply with AI assist">
      <ActionIcon variant="subtle" color="grape" aria-label="Draft reply" onClick={() => void draft()} disabled={disabled || busy} aria-busy={busy}>
        {busy ? <Loader size={14} color="grape" /> : <IconSparkles size={18} />}
      </ActionIcon>
    </Tooltip>
  );
}

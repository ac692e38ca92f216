import { Alert, Button, Text } from '@mantine/core';
import { IconSparkles } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { assist, useAiStatus } from '../../api/assist';
import { SidebarSection } from './SidebarSection';

/** "Summarize": a few lines on what the customer wants and what is open, from the workspace's model. Shown only while AI assist is on. */
export function ConversationSummary({ conversationId }: { conversationId: string }) {
  const status = useAiStatus();
  const [state, setState] = useState<{ for: string; text?: string; error?: string; busy?: boolean }>({ for: conversationId });
  if (!status.data?.enabled) return null;
  // A summary belongs to its conversation; opening another starts afresh.
  const current = state.for === conversationId ? state : { for: conversationId };
  const run = async () => {
    setState({ for: conversationId, busy: true, text: current.text });
    try {
      setState({ for: conversationId, text: (await assist(conversationId, 'summary')).text });
    } catch (err) {
      setState({ for: conversationId, error: errorMessage(err) });
    }
  };
  return (
    <SidebarSection title="Summary">
      {current.text && (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} mb="xs" aria-live="polite">
          {current.text}
        </Text>
      )}
      {current.error && (
        <Alert color="red" variant="light" role="alert" mb="xs">
          {current.error}
        </Alert>
      )}
      <Button size="xs" variant="light" color="grape" leftSection={<IconSparkles size={14} />} loading={current.busy} onClick={() => void run()}>
        {current.text ? 'Summarize again' : 'Summarize'}
      </Button>
    </SidebarSection>
  );
}

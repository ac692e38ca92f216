import { Box, Button, Group, Stack, Text } from '@mantine/core';
import { IconDots, IconPhotoOff } from '@tabler/icons-react';
import { useState } from 'react';
import type { EmailDetails } from '../../../api/types';
import classes from '../Inbox.module.css';
import { EmailFrame } from './EmailFrame';

interface Props {
  email: EmailDetails;
  /** The visible plain text (quoted history and signature cut off). */
  content: string;
  /** Names the frame for screen readers: "Email from Ada Lovelace". */
  title: string;
}

/**
 * The body of an email: its HTML in a sandboxed frame, or its plain text as text (never as HTML),
 * with the quoted history folded away and remote images blocked until the agent asks for them.
 */
export function EmailBody({ email, content, title }: Props) {
  const [quoted, setQuoted] = useState(false);
  const [remote, setRemote] = useState(false);
  const html = quoted ? (email.html ?? email.html_visible) : (email.html_visible ?? email.html);
  const text = quoted ? email.text : content;
  return (
    <Stack gap={4}>
      <Box className={classes.emailBody}>
        {html && email.remote_images > 0 && !remote && (
          <Group gap="xs" justify="space-between" wrap="wrap" className={classes.emailNotice}>
            <Text size="xs" c="dimmed" style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
              <IconPhotoOff size={14} aria-hidden />
              Remote images are blocked, so the sender cannot tell when this was read.
            </Text>
            <Button size="compact-xs" variant="light" onClick={() => setRemote(true)}>
              Show remote images ({email.remote_images})
            </Button>
          </Group>
        )}
        {html ? (
          <EmailFrame html={html} remoteImages={remote} title={title} />
        ) : (
          <Text size="sm" className={classes.emailText} c={text ? undefined : 'dimmed'}>
            {text || 'This email has no text.'}
          </Text>
        )}
      </Box>
      {email.has_quoted && (
        <Box px="xs" pb="xs">
          <Button
            size="compact-xs"
            variant="subtle"
            color="gray"
            leftSection={<IconDots size={14} />}
            aria-expanded={quoted}
            onClick={() => setQuoted((q) => !q)}
          >
            {quoted ? 'Hide quoted text' : 'Show quoted text'}
          </Button>
        </Box>
      )}
    </Stack>
  );
}

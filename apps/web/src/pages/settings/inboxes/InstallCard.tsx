import { Alert, Code, Group, Stack, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { Inbox } from '../../../api/types';
import { CopyField } from '../../../components/CopyField';
import { CopyValueButton } from '../../../components/CopyValueButton';
import { SettingsCard } from '../SettingsCard';
import classes from './Inboxes.module.css';

/** The ready-to-paste snippet and widget key of a live chat inbox. */
export function InstallCard({ inbox }: { inbox: Inbox }) {
  if (!inbox.snippet || !inbox.widget_key) {
    return (
      <SettingsCard title="Install on your website">
        <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} />}>
          {inbox.channel === 'webchat'
            ? 'This inbox has no chat widget key, so there is no snippet to paste. Create a new live chat inbox to get one.'
            : 'This inbox does not use a website snippet.'}
        </Alert>
      </SettingsCard>
    );
  }
  return (
    <SettingsCard
      title="Install on your website"
      description="Paste this snippet just before the closing </body> tag of every page where the chat should appear."
    >
      <Stack gap="xs">
        <Text size="sm" fw={600} id="snippet-label">
          Snippet
        </Text>
        <Code
          block
          aria-labelledby="snippet-label"
          data-testid="snippet"
          className={classes.snippet}
        >
          {inbox.snippet}
        </Code>
        <Group justify="flex-end">
          <CopyValueButton value={inbox.snippet} label="Copy snippet" />
        </Group>
      </Stack>
      <CopyField
        label="Widget key"
        value={inbox.widget_key}
        description="Identifies this inbox to the widget. It is public: it appears in your page's source."
      />
      {inbox.allowed_origins.length === 0 && (
        <Alert variant="light" color="yellow" icon={<IconInfoCircle size={18} />}>
          No allowed origins are set. Add your website&apos;s address (such as https://shop.example) under Edit so the
          chat only runs where you expect it.
        </Alert>
      )}
    </SettingsCard>
  );
}

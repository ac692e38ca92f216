import { Grid, NumberInput, PasswordInput, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { portAfterTlsChange, type EmailInboxValues, type MailServer } from './emailForm';

interface Props {
  form: UseFormReturnType<EmailInboxValues>;
  server: MailServer;
  /** The server keeps a password already: an empty field keeps it. */
  passwordSaved: boolean;
}

const hostExamples: Record<MailServer, string> = { imap: 'imap.shop.example', smtp: 'smtp.shop.example' };

/** Host, port, TLS, user and password of one mail server (and the IMAP mailbox). */
export function MailServerFields({ form, server, passwordSaved }: Props) {
  const label = server.toUpperCase();
  const secure = form.values[`${server}_secure`];
  return (
    <Stack gap="sm">
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, xs: 8 }}>
          <TextInput
            label={`${label} server`}
            placeholder={hostExamples[server]}
            autoComplete="off"
            spellCheck={false}
            {...form.getInputProps(`${server}_host`)}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, xs: 4 }}>
          <NumberInput
            label={`${label} port`}
            min={1}
            max={65535}
            allowDecimal={false}
            allowNegative={false}
            hideControls
            {...form.getInputProps(`${server}_port`)}
          />
        </Grid.Col>
      </Grid>
      <Switch
        label="Encrypted connection (TLS)"
        description={
          secure
            ? `TLS from the first byte, usually on port ${server === 'imap' ? 993 : 465}.`
            : `Starts plain and switches to TLS (STARTTLS) when the server offers it, usually on port ${server === 'imap' ? 143 : 587}.`
        }
        checked={secure}
        onChange={(e) => {
          const next = e.currentTarget.checked;
          form.setFieldValue(`${server}_secure`, next);
          form.setFieldValue(`${server}_port`, portAfterTlsChange(server, form.getValues()[`${server}_port`], next));
        }}
      />
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" verticalSpacing="sm">
        <TextInput
          label={`${label} user`}
          placeholder={form.values.email || 'support@shop.example'}
          autoComplete="off"
          spellCheck={false}
          {...form.getInputProps(`${server}_user`)}
        />
        <PasswordInput
          label={`${label} password`}
          placeholder={passwordSaved ? 'Saved — leave empty to keep' : undefined}
          autoComplete="new-password"
          {...form.getInputProps(`${server}_password`)}
        />
      </SimpleGrid>
      {server === 'imap' && (
        <TextInput
          label="Mailbox"
          description="The folder Rapport reads new mail from."
          placeholder="INBOX"
          spellCheck={false}
          maw={{ base: '100%', xs: 'calc(50% - var(--mantine-spacing-sm) / 2)' }}
          {...form.getInputProps('imap_mailbox')}
        />
      )}
    </Stack>
  );
}

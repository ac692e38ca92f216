import { ActionIcon, Alert, Button, Group, Modal, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { applyServerErrors } from '../../../lib/forms';
import { newClientMessageId, useSendMessage } from '../useConversationActions';
import { templateSummary } from './replyWindow';

interface Props {
  opened: boolean;
  conversationId: string;
  /** The provider's name ("WhatsApp"). */
  provider: string;
  onClose: () => void;
  onSent?: () => void;
}

interface Values {
  name: string;
  language: string;
  parameters: string[];
}

const PARAMETERS_MAX = 20;

/** Sends an approved template (the only reply a provider such as WhatsApp takes once its window closed). The parent remounts it on each open. */
export function TemplateModal({ opened, conversationId, provider, onClose, onSent }: Props) {
  const send = useSendMessage(conversationId);
  const [formError, setFormError] = useState<string | null>(null);
  // One id per template being sent: sending it again after a failure never doubles it.
  const pending = useRef<{ id: string; signature: string } | null>(null);
  const form = useForm<Values>({
    initialValues: { name: '', language: '', parameters: [] },
    validate: {
      name: (v) => (!v.trim() ? 'Enter the template’s name' : /^[a-z0-9_]+$/.test(v.trim()) ? null : 'The name as approved: lower-case letters, digits and _, such as order_update'),
      language: (v) => (!v.trim() ? 'Enter its language code, such as en_US' : /^[a-z]{2,3}(_[A-Z]{2})?$/.test(v.trim()) ? null : 'A language code such as en, en_US or pt_BR'),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const template = { name: values.name.trim(), language: values.language.trim(), parameters: values.parameters.map((p) => p.trim()) };
    const signature = JSON.stringify(template);
    const id = pending.current?.signature === signature ? pending.current.id : newClientMessageId();
    pending.current = { id, signature };
    try {
      await send.mutateAsync({ content: templateSummary(template), private: false, client_message_id: id, template });
      pending.current = null;
      onClose();
      onSent?.();
      notifications.show({ color: 'teal', message: `Template “${template.name}” queued for ${provider}` });
    } catch (err) {
      setFormError(applyServerErrors({ getValues: form.getValues, setErrors: form.setErrors }, err, { 'template.name': 'name', 'template.language': 'language', 'template.parameters': 'parameters' }));
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title="Send a template" size="md">
      {/* The modal sits inside the composer's form in React's tree: its submit must not bubble there and send the reply box too. */}
      <form
        onSubmit={(event) => {
          event.stopPropagation();
          submit(event);
        }}
        noValidate
      >
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            A template must be approved at {provider} first. Its name and language are as you registered them; the values fill its {'{{1}}'}, {'{{2}}'}, … in order.
          </Text>
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput label="Template name" placeholder="order_update" withAsterisk autoComplete="off" spellCheck={false} maxLength={512} data-autofocus {...form.getInputProps('name')} />
          <TextInput label="Language code" placeholder="en_US" withAsterisk autoComplete="off" spellCheck={false} maxLength={15} {...form.getInputProps('language')} />
          <Stack gap="xs" role="group" aria-label="Parameters">
            <Text size="sm" fw={500}>
              Parameters
            </Text>
            {form.values.parameters.length === 0 && (
              <Text size="xs" c="dimmed">
                None: add one for each {'{{n}}'} in the template’s text.
              </Text>
            )}
            {form.values.parameters.map((_, i) => (
              <Group key={i} gap="xs" wrap="nowrap" align="flex-start">
                <TextInput label={`Parameter {{${i + 1}}}`} style={{ flex: 1 }} maxLength={1024} {...form.getInputProps(`parameters.${i}`)} />
                <Tooltip label={`Remove parameter ${i + 1}`}>
                  <ActionIcon variant="subtle" color="gray" mt={26} aria-label={`Remove parameter ${i + 1}`} onClick={() => form.removeListItem('parameters', i)}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            ))}
            {form.errors.parameters && (
              <Text size="xs" c="red">
                {form.errors.parameters}
              </Text>
            )}
            <Button
              variant="subtle"
              size="xs"
              w="fit-content"
              leftSection={<IconPlus size={14} />}
              disabled={form.values.parameters.length >= PARAMETERS_MAX}
              onClick={() => form.insertListItem('parameters', '')}
            >
              Add parameter
            </Button>
          </Stack>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={send.isPending}>
              Send template
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

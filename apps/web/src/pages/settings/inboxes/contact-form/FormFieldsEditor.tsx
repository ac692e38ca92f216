import { ActionIcon, Badge, Button, Checkbox, Grid, Group, Paper, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconArrowDown, IconArrowUp, IconLock, IconPlus, IconTrash } from '@tabler/icons-react';
import { builtInFields, fieldTypes, keyFromLabel, MAX_FIELDS, MAX_OPTIONS, newField, type ContactFormValues, type FieldValues } from './contactForm';

const typeLabel = (type: string) => fieldTypes.find((t) => t.value === type)?.label ?? type;

/** A field every form has: shown where the page shows it, not editable. */
function BuiltInRow({ label, type }: { label: string; type: string }) {
  return (
    <Paper withBorder radius="md" px="sm" py={8} bg="var(--mantine-color-default-hover)" role="listitem" aria-label={`${label} (built in)`}>
      <Group gap="xs" wrap="nowrap">
        <IconLock size={14} color="var(--mantine-color-dimmed)" aria-hidden />
        <Text size="sm" fw={500} style={{ flex: 1, minWidth: 0 }} truncate>
          {label}
        </Text>
        <Badge variant="default" size="sm" tt="none" fw={500}>
          {typeLabel(type)}
        </Badge>
        <Text size="xs" c="dimmed" w={110} ta="right" visibleFrom="xs">
          Built in, required
        </Text>
      </Group>
    </Paper>
  );
}

interface RowProps {
  form: UseFormReturnType<ContactFormValues>;
  field: FieldValues;
  index: number;
  count: number;
}

function FieldRow({ form, field, index, count }: RowProps) {
  const path = `fields.${index}` as const;
  const name = field.label.trim() || `field ${index + 1}`;
  // The key follows the label while it still is the label's key (or empty); once typed, it is the admin's.
  const setLabel = (label: string) => {
    const current = form.getValues().fields[index];
    form.setFieldValue(`${path}.label`, label);
    if (!current.key || current.key === keyFromLabel(current.label)) form.setFieldValue(`${path}.key`, keyFromLabel(label));
  };
  return (
    <Paper withBorder radius="md" p="sm" role="listitem" aria-label={`Extra field ${index + 1}: ${name}`}>
      <Stack gap="xs">
        <Grid gap="sm">
          <Grid.Col span={{ base: 12, sm: 5 }}>
            <TextInput
              id={`${field.uid}-label`}
              label="Label"
              maxLength={80}
              {...form.getInputProps(`${path}.label`)}
              onChange={(e) => setLabel(e.currentTarget.value)}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, xs: 6, sm: 3 }}>
            <Select
              label="Type"
              data={fieldTypes}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
              {...form.getInputProps(`${path}.type`)}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, xs: 6, sm: 4 }}>
            <TextInput
              label="Key"
              maxLength={40}
              autoComplete="off"
              spellCheck={false}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              {...form.getInputProps(`${path}.key`)}
            />
          </Grid.Col>
        </Grid>
        {field.type === 'select' && (
          <TagsInput
            label="Choices"
            description="Press Enter after each one."
            placeholder={field.options.length ? undefined : 'Bikes, Parts, Repairs'}
            maxTags={MAX_OPTIONS}
            splitChars={[',']}
            clearable
            {...form.getInputProps(`${path}.options`)}
          />
        )}
        <Group justify="space-between" gap="xs">
          <Checkbox label="Required" {...form.getInputProps(`${path}.required`, { type: 'checkbox' })} />
          <Group gap={4}>
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={`Move ${name} up`}
              disabled={index === 0}
              onClick={() => form.reorderListItem('fields', { from: index, to: index - 1 })}
            >
              <IconArrowUp size={16} />
            </ActionIcon>
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={`Move ${name} down`}
              disabled={index === count - 1}
              onClick={() => form.reorderListItem('fields', { from: index, to: index + 1 })}
            >
              <IconArrowDown size={16} />
            </ActionIcon>
            <Button variant="subtle" color="red" size="compact-sm" leftSection={<IconTrash size={14} />} aria-label={`Remove ${name}`} onClick={() => form.removeListItem('fields', index)}>
              Remove
            </Button>
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
}

/** The form's fields in page order: the built-in ones fixed, the extra ones added, changed, moved and removed. */
export function FormFieldsEditor({ form }: { form: UseFormReturnType<ContactFormValues> }) {
  const fields = form.values.fields;
  const add = () => {
    const field = newField();
    form.insertListItem('fields', field);
    form.clearFieldError('fields');
    requestAnimationFrame(() => document.getElementById(`${field.uid}-label`)?.focus());
  };
  return (
    <Stack gap={6}>
      <Text size="sm" fw={600} id="contact-form-fields">
        Fields
      </Text>
      <Text size="xs" c="dimmed">
        Name, email, subject and message are always asked. Extra fields come before the message, and their answers are
        added to it.
      </Text>
      <Stack gap="xs" role="list" aria-labelledby="contact-form-fields" mt={4}>
        {builtInFields.before.map((f) => (
          <BuiltInRow key={f.key} label={f.label} type={f.type} />
        ))}
        {fields.map((field, index) => (
          <FieldRow key={field.uid} form={form} field={field} index={index} count={fields.length} />
        ))}
        {builtInFields.after.map((f) => (
          <BuiltInRow key={f.key} label={f.label} type={f.type} />
        ))}
      </Stack>
      {form.errors.fields && (
        <Text size="sm" c="red" role="alert">
          {form.errors.fields}
        </Text>
      )}
      <Group>
        <Button variant="default" leftSection={<IconPlus size={16} />} onClick={add} disabled={fields.length >= MAX_FIELDS}>
          Add field
        </Button>
        {fields.length >= MAX_FIELDS && (
          <Text size="xs" c="dimmed">
            A form has at most {MAX_FIELDS} extra fields.
          </Text>
        )}
      </Group>
    </Stack>
  );
}

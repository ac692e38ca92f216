// Import a zip of Markdown files (a report per file) and download every article as a zip in the
// same layout, so an export imports again unchanged.
import { Alert, Anchor, Badge, Button, Code, FileButton, Group, Modal, Progress, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { IconDownload, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { uploadFile } from '../../api/upload';
import { useKbInvalidate, type KbImportReport } from './kbApi';

const statusColor: Record<string, string> = { created: 'teal', updated: 'blue', unchanged: 'gray', failed: 'red' };

export function ImportExportModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const invalidate = useKbInvalidate();
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<KbImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const upload = async (file: File | null) => {
    if (!file) return;
    setReport(null);
    setError(null);
    setProgress(0);
    try {
      setReport(await uploadFile<KbImportReport>('/kb/import/zip', file, setProgress).done);
      await invalidate();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setProgress(null);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Import and export</Text>} size="lg">
      <Stack gap="md">
        <Text size="sm">
          Articles travel as a zip of Markdown files, one per translation, with front matter such as <Code>id</Code>, <Code>title</Code>, <Code>locale</Code>, <Code>status</Code>, <Code>category</Code> and <Code>section</Code>. Importing the same files again updates the articles; it never makes copies.
        </Text>
        <Group>
          <FileButton onChange={(f) => void upload(f)} accept=".zip,application/zip">
            {(props) => (
              <Button {...props} leftSection={<IconUpload size={16} />} loading={progress !== null}>
                Import a zip
              </Button>
            )}
          </FileButton>
          <Button component="a" href="/api/v1/kb/export" download variant="default" leftSection={<IconDownload size={16} />}>
            Export all articles
          </Button>
        </Group>
        {progress !== null && <Progress value={progress * 100} aria-label="Upload progress" />}
        {error && (
          <Alert color="red" title="The import did not run" role="alert">
            {error}
          </Alert>
        )}
        {report && (
          <Stack gap="xs" aria-live="polite">
            <Text size="sm" fw={500}>
              {report.created} created · {report.updated} updated · {report.unchanged} unchanged · {report.failed} failed
            </Text>
            {report.files.length > 0 && (
              <ScrollArea.Autosize mah={280}>
                <Table verticalSpacing={4} fz="sm">
                  <Table.Tbody>
                    {report.files.map((f) => (
                      <Table.Tr key={f.path}>
                        <Table.Td w={110}>
                          <Badge size="sm" variant="light" color={statusColor[f.status] ?? 'gray'}>
                            {f.status}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          {f.article_id ? (
                            <Anchor href={`/knowledge-base/${f.article_id}`} size="sm">
                              {f.path}
                            </Anchor>
                          ) : (
                            f.path
                          )}
                          {f.error && (
                            <Text size="xs" c="red">
                              {f.error}
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
            )}
          </Stack>
        )}
      </Stack>
    </Modal>
  );
}

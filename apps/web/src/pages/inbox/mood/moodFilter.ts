import type { MoodFilter } from '../filters';

/** The list's mood filter in words: "Upset" gathers angry, frustrated and worsening conversations. */
export const moodFilterOptions: Array<{ value: MoodFilter; label: string }> = [
  { value: 'upset', label: 'Upset' },
  { value: 'angry', label: 'Angry' },
  { value: 'frustrated', label: 'Frustrated' },
  { value: 'neutral', label: 'Neutral' },
  { value: 'happy', label: 'Happy' },
];

import {
  Alert,
  Button,
  Group,
  Radio,
  Select,
  type SelectProps,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { hospitalConfig } from '../../app/config';
import { useAuth } from '../../auth/auth-context';
import { findPatients, findPractitioners } from './adt.resource';
import { type BoardView, cleanBeds } from './bed-board-view';

/** Admit sources offered at the desk (encounter-admit-source, plus direct and elective). */
export const admitSourceOptions = [
  { value: 'emd', label: 'From the emergency department' },
  { value: 'direct', label: 'Direct admission' },
  { value: 'elective', label: 'Elective (planned) admission' },
  { value: 'gp', label: 'General practitioner referral' },
  { value: 'mp', label: 'Physician referral' },
  { value: 'hosp_trans', label: 'Transfer from another hospital' },
  { value: 'outp', label: 'From outpatient department' },
  { value: 'nursing', label: 'From a nursing home' },
  { value: 'born', label: 'Born in hospital' },
];

/** Discharge dispositions (encounter-discharge-disposition). */
export const dispositionOptions = [
  { value: 'home', label: 'Home' },
  { value: 'alt-home', label: 'Alternative home' },
  { value: 'other-hcf', label: 'Other healthcare facility' },
  { value: 'snf', label: 'Skilled nursing facility' },
  { value: 'rehab', label: 'Rehabilitation' },
  { value: 'long', label: 'Long-term care' },
  { value: 'hosp', label: 'Hospice' },
  { value: 'psy', label: 'Psychiatric hospital' },
  { value: 'aadvice', label: 'Left against advice' },
  { value: 'exp', label: 'Expired' },
  { value: 'oth', label: 'Other' },
];

/** The clean beds of the board as Select groups (by unit). */
function bedOptions(board: BoardView, except?: string) {
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const { bed, unit } of cleanBeds(board)) {
    if (bed.id === except) continue;
    const list = groups.get(unit.name) ?? [];
    list.push({ value: bed.id, label: bed.name });
    groups.set(unit.name, list);
  }
  return [...groups].map(([group, items]) => ({ group, items }));
}

/** A form in a dialog (shared by the ADT dialogs): submit runs `action`; its error (the server's OperationOutcome) shows above the buttons. */
export function ActionForm({
  label,
  submit,
  action,
  onDone,
  children,
  ready,
}: {
  label: string;
  submit: string;
  action: () => Promise<unknown>;
  onDone: () => void;
  children: ReactNode;
  ready: boolean;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await action();
      onDone();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={onSubmit} aria-label={label}>
      <Stack gap="sm">
        {children}
        {error ? (
          <Alert color="red" role="alert" title="Not done">
            {error}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button type="submit" loading={busy} disabled={!ready}>
            {submit}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The attending picker: type a name, pick from the matches. */
function AttendingPicker({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (v: string | null) => void;
}) {
  const { fhir } = useAuth();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    if (debounced.trim().length < 2) return;
    let current = true;
    findPractitioners(fhir, debounced.trim()).then(
      (found) => current && setOptions(found.map((p) => ({ value: p.id, label: p.name }))),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [debounced, fhir]);
  return (
    <Select
      label="Attending physician"
      description="Type at least two letters of the name"
      searchable
      clearable
      data={options}
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={debounced.length < 2 ? undefined : 'No physician by that name'}
    />
  );
}

/** Admit: a patient (searched, or handed in from the waiting list), a clean bed, the attending, the source. */
export function AdmitForm({
  board,
  patient: given,
  bedId,
  encounterId,
  onDone,
  run,
}: {
  board: BoardView;
  patient?: { id: string; name: string };
  bedId?: string;
  encounterId?: string;
  onDone: () => void;
  run: (
    body: Record<string, string | { code: string } | { reference: string } | undefined>,
  ) => Promise<unknown>;
}) {
  const { fhir } = useAuth();
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text, 300);
  const [found, setFound] = useState<{ id: string; name: string; mrn?: string; birthDate?: string }[]>([]);
  const [patientId, setPatientId] = useState(given?.id ?? '');
  const [bed, setBed] = useState<string | null>(bedId ?? null);
  const [attending, setAttending] = useState<string | null>(null);
  const [source, setSource] = useState<string | null>(encounterId ? 'emd' : null);
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (given || debounced.trim().length < 2) return;
    let current = true;
    findPatients(fhir, debounced, hospitalConfig.mrnSystem).then(
      (list) => current && setFound(list),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [debounced, fhir, given]);
  return (
    <ActionForm
      label="Admit a patient"
      submit="Admit"
      ready={patientId !== '' && bed !== null && source !== null}
      onDone={onDone}
      action={() =>
        run({
          patient: { reference: `Patient/${patientId}` },
          bed: { reference: `Location/${bed}` },
          attending: attending ? { reference: `Practitioner/${attending}` } : undefined,
          admitSource: source ? { code: source } : undefined,
          reason: reason.trim() || undefined,
          encounter: encounterId ? { reference: `Encounter/${encounterId}` } : undefined,
        })
      }
    >
      {given ? (
        <Text>
          Patient: <strong>{given.name}</strong>
        </Text>
      ) : (
        <>
          <TextInput
            label="Patient"
            description="Name or MRN"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            data-autofocus
          />
          <Radio.Group label="Choose the patient" value={patientId} onChange={setPatientId}>
            <Stack gap={4} mt={4}>
              {found.map((p) => (
                <Radio
                  key={p.id}
                  value={p.id}
                  label={`${p.name}${p.mrn ? ` · MRN ${p.mrn}` : ''}${p.birthDate ? ` · born ${p.birthDate}` : ''}`}
                />
              ))}
              {debounced.trim().length >= 2 && found.length === 0 ? (
                <Text size="sm">No patient found.</Text>
              ) : null}
            </Stack>
          </Radio.Group>
        </>
      )}
      <RequiredSelect label="Clean bed" searchable data={bedOptions(board)} value={bed} onChange={setBed} />
      <AttendingPicker value={attending} onChange={setAttending} />
      <RequiredSelect label="Admitted from" data={admitSourceOptions} value={source} onChange={setSource} />
      <TextInput
        label="Reason for admission"
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
      />
    </ActionForm>
  );
}

/** Transfer: another clean bed and the reason (required), optionally a new attending. */
export function TransferForm({
  board,
  fromBed,
  onDone,
  run,
}: {
  board: BoardView;
  fromBed: string;
  onDone: () => void;
  run: (body: Record<string, string | { reference: string } | undefined>) => Promise<unknown>;
}) {
  const [bed, setBed] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [attending, setAttending] = useState<string | null>(null);
  return (
    <ActionForm
      label="Transfer"
      submit="Transfer"
      ready={bed !== null && reason.trim() !== ''}
      onDone={onDone}
      action={() =>
        run({
          bed: { reference: `Location/${bed}` },
          reason: reason.trim(),
          attending: attending ? { reference: `Practitioner/${attending}` } : undefined,
        })
      }
    >
      <RequiredSelect
        label="To clean bed"
        searchable
        data={bedOptions(board, fromBed)}
        value={bed}
        onChange={setBed}
        data-autofocus
      />
      <TransferReason value={reason} onChange={setReason} />
      <AttendingPicker value={attending} onChange={setAttending} />
    </ActionForm>
  );
}

/** `YYYY-MM-DDTHH:mm` in local time, for a datetime-local input. */
export function localInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Discharge: disposition and time (now by default). */
export function DischargeForm({
  onDone,
  run,
}: {
  onDone: () => void;
  run: (body: Record<string, { code: string } | { dateTime: string }>) => Promise<unknown>;
}) {
  const [disposition, setDisposition] = useState<string | null>('home');
  const [time, setTime] = useState(localInput(new Date()));
  // Untouched, the time is "now" as the server sees it (the field has minutes only, and a
  // patient moved this very minute would otherwise be discharged before they arrived).
  const [edited, setEdited] = useState(false);
  return (
    <ActionForm
      label="Discharge"
      submit="Discharge"
      ready={disposition !== null && time !== ''}
      onDone={onDone}
      action={() =>
        run({
          disposition: { code: disposition ?? '' },
          ...(edited ? { time: { dateTime: new Date(time).toISOString() } } : {}),
        })
      }
    >
      <RequiredSelect
        label="Discharged to"
        data={dispositionOptions}
        value={disposition}
        onChange={setDisposition}
        data-autofocus
      />
      <TextInput
        type="datetime-local"
        label="Time of discharge"
        value={time}
        onChange={(e) => {
          setTime(e.currentTarget.value);
          setEdited(true);
        }}
        required
      />
    </ActionForm>
  );
}

/** A required choice from a list (a bed, a unit, a disposition): once chosen, never emptied. */
export function RequiredSelect(props: SelectProps) {
  return <Select {...props} required allowDeselect={false} />;
}

/** Why a patient moves (transfer or transfer request): required, kept with the Encounter. */
export function TransferReason({ value, onChange }: { value: string; onChange: (reason: string) => void }) {
  return (
    <Textarea
      label="Reason for the transfer"
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      required
    />
  );
}

/** A reason, then the action (cancel admission or transfer, block a bed). */
export function ReasonForm({
  label,
  submit,
  required = true,
  onDone,
  run,
}: {
  label: string;
  submit: string;
  required?: boolean;
  onDone: () => void;
  run: (reason: string | undefined) => Promise<unknown>;
}) {
  const [reason, setReason] = useState('');
  return (
    <ActionForm
      label={label}
      submit={submit}
      ready={!required || reason.trim() !== ''}
      onDone={onDone}
      action={() => run(reason.trim() || undefined)}
    >
      <Textarea
        label="Reason"
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        required={required}
        data-autofocus
      />
    </ActionForm>
  );
}

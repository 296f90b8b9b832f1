import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { Patient } from '../../api/fhir-types';
import { hospitalConfig } from '../../app/config';
import { useAuth } from '../../auth/auth-context';
import { type MatchCandidate, matchPatients } from './match.resource';
import { MatchResults } from './match-results.panel';
import { RegistrationFields } from './registration.form';
import {
  emptyRegistration,
  newMrn,
  patientFromRegistration,
  type RegistrationErrors,
  type RegistrationValues,
  validateRegistration,
} from './registration.schema';

type Step =
  | { kind: 'editing' }
  | { kind: 'checking' }
  | { kind: 'checked'; candidates: MatchCandidate[] }
  | { kind: 'registering' };

/**
 * Register a patient without creating a duplicate: the registrar fills in the form, the app asks
 * the server for records of the same person (`Patient/$match`) and shows them with their score;
 * the registrar opens the existing record or confirms that this is someone new, and only then is
 * the Patient created, with a new MRN.
 */
export default function RegisterPage() {
  const { fhir } = useAuth();
  const navigate = useNavigate();
  const [values, setValues] = useState<RegistrationValues>(emptyRegistration);
  const [errors, setErrors] = useState<RegistrationErrors>({});
  const [step, setStep] = useState<Step>({ kind: 'editing' });
  const [problem, setProblem] = useState<string>();

  const change = (field: keyof RegistrationValues, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
    // A changed form must be checked again before it can be registered.
    if (step.kind === 'checked') setStep({ kind: 'editing' });
  };

  const check = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    const found = validateRegistration(values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setStep({ kind: 'checking' });
    try {
      const candidates = await matchPatients(fhir, patientFromRegistration(values), 10);
      setStep({ kind: 'checked', candidates });
    } catch (err) {
      setProblem((err as Error).message);
      setStep({ kind: 'editing' });
    }
  };

  const register = async () => {
    setProblem(undefined);
    setStep({ kind: 'registering' });
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        const mrn = newMrn();
        const result = await fhir.createIfNoneExist<Patient>(
          patientFromRegistration(values, mrn),
          `identifier=${encodeURIComponent(`${hospitalConfig.mrnSystem}|${mrn}`)}`,
        );
        if (result.created) {
          navigate(`/patients/${result.resource.id}`, { state: { registered: mrn } });
          return;
        }
      }
      throw new Error('No free medical record number was found; try again.');
    } catch (err) {
      setProblem((err as Error).message);
      setStep({ kind: 'editing' });
    }
  };

  const busy = step.kind === 'checking' || step.kind === 'registering';
  return (
    <Stack gap="md" maw={900}>
      <Title order={1}>Register a patient</Title>
      <Text c="dimmed">
        Existing records are checked before a new one is made. Fields marked * are required.
      </Text>
      <form onSubmit={check} noValidate aria-label="Registration">
        <Stack gap="md">
          <RegistrationFields values={values} errors={errors} onChange={change} disabled={busy} />
          {problem ? (
            <Alert color="red" title="That did not work" role="alert">
              {problem}
            </Alert>
          ) : null}
          {step.kind !== 'checked' ? (
            <Group>
              <Button type="submit" loading={step.kind === 'checking'}>
                Check for existing records
              </Button>
            </Group>
          ) : null}
        </Stack>
      </form>
      {step.kind === 'checked' || step.kind === 'registering' ? (
        <CheckResult
          candidates={step.kind === 'checked' ? step.candidates : []}
          registering={step.kind === 'registering'}
          onRegister={register}
        />
      ) : null}
    </Stack>
  );
}

function CheckResult({
  candidates,
  registering,
  onRegister,
}: {
  candidates: MatchCandidate[];
  registering: boolean;
  onRegister: () => void;
}) {
  // The answer appears below a long form: bring it into view and give it the keyboard focus, so
  // the registrar (and a screen reader) meets the warning before any button.
  const answer = useRef<HTMLDivElement>(null);
  useEffect(() => {
    answer.current?.scrollIntoView({ block: 'start' });
    answer.current?.focus({ preventScroll: true });
  }, []);
  if (candidates.length === 0) {
    return (
      <Alert ref={answer} tabIndex={-1} color="green" title="No existing record matches" role="status">
        <Text mb="sm">Nobody on record looks like this person.</Text>
        <Button onClick={onRegister} loading={registering} color="green">
          Register new patient
        </Button>
      </Alert>
    );
  }
  const strongest = candidates[0]!.grade;
  return (
    <Stack gap="sm">
      <Alert
        ref={answer}
        tabIndex={-1}
        color={strongest === 'certain' ? 'red' : 'orange'}
        title={
          strongest === 'certain'
            ? 'This person is already registered'
            : `This person may already be registered (${candidates.length} similar record${candidates.length === 1 ? '' : 's'})`
        }
        role="alert"
      >
        Open the existing record if it is the same person. Register a new patient only if none of these is
        them.
      </Alert>
      <MatchResults candidates={candidates} caption="Possible duplicates" openLabel="Open record" />
      <Group>
        <Button variant="outline" color="red" onClick={onRegister} loading={registering}>
          None of these — register new patient
        </Button>
      </Group>
    </Stack>
  );
}

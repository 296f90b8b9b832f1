import { Fieldset, Grid, NativeSelect, TextInput } from '@mantine/core';
import { hospitalConfig } from '../../app/config';
import type { RegistrationErrors, RegistrationValues } from './registration.schema';

/**
 * The registration fields, labelled and grouped as a registration desk asks for them. Knows
 * nothing of where it is shown or what happens on submit (the page decides).
 */
export function RegistrationFields({
  values,
  errors,
  onChange,
  disabled,
}: {
  values: RegistrationValues;
  errors: RegistrationErrors;
  onChange: (field: keyof RegistrationValues, value: string) => void;
  disabled?: boolean;
}) {
  const text = (field: keyof RegistrationValues) => ({
    value: values[field],
    error: errors[field],
    disabled,
    onChange: (e: { currentTarget: { value: string } }) => onChange(field, e.currentTarget.value),
  });
  return (
    <>
      <Fieldset legend="Patient">
        <Grid>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput label="Family name" required autoComplete="off" autoFocus {...text('family')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput label="Given names" required autoComplete="off" {...text('given')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput
              label="Birth date"
              required
              placeholder="YYYY-MM-DD or MM/DD/YYYY"
              inputMode="numeric"
              autoComplete="off"
              {...text('birthDate')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            {/* A native select: the tablet's own picker, and keys work as everywhere else. */}
            <NativeSelect
              label="Administrative sex"
              required
              data={[
                { value: '', label: 'Choose…', disabled: true },
                { value: 'female', label: 'Female' },
                { value: 'male', label: 'Male' },
                { value: 'other', label: 'Other' },
                { value: 'unknown', label: 'Unknown' },
              ]}
              {...text('gender')}
            />
          </Grid.Col>
        </Grid>
      </Fieldset>
      <Fieldset legend="Contact">
        <Grid>
          <Grid.Col span={12}>
            <TextInput label="Street address" autoComplete="off" {...text('line')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 5 }}>
            <TextInput label="City" autoComplete="off" {...text('city')} />
          </Grid.Col>
          <Grid.Col span={{ base: 6, sm: 3 }}>
            <TextInput label="State" autoComplete="off" {...text('state')} />
          </Grid.Col>
          <Grid.Col span={{ base: 6, sm: 4 }}>
            <TextInput label="Postal code" autoComplete="off" {...text('postalCode')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput label="Phone" type="tel" autoComplete="off" {...text('phone')} />
          </Grid.Col>
        </Grid>
      </Fieldset>
      <Fieldset legend="Identifier (optional)">
        <Grid>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <NativeSelect
              label="Kind of identifier"
              data={hospitalConfig.identifierTypes.map((t) => ({ value: t.system, label: t.label }))}
              {...text('identifierSystem')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput label="Identifier number" autoComplete="off" {...text('identifierValue')} />
          </Grid.Col>
        </Grid>
      </Fieldset>
    </>
  );
}

import type { Ref } from '../../bundle/transaction.js';
import { ASSESS_PLAN, type CarePlanType } from '../../codes/careplans.js';
import { concept } from '../../codes/systems.js';
import { practitionerRef } from '../../shared/references.js';
import { date, dateTime } from '../time.js';
import { type EncounterContext, type PatientContext, quantity } from './context.js';

/**
 * A chronic condition's care plan and its goals, started at the visit where the condition is
 * first managed; completed (and the goals with it) when the condition resolves.
 */
export function writeCarePlan(
  ctx: PatientContext,
  enc: EncounterContext,
  plan: CarePlanType,
  condition: Ref,
  ended: number | undefined,
): void {
  const done = ended !== undefined;
  const goals = plan.goals.map((goal) =>
    ctx.builder.post(
      {
        resourceType: 'Goal',
        lifecycleStatus: done ? 'completed' : 'active',
        description: { text: goal.description },
        subject: ctx.patient,
        startDate: date(enc.start),
        ...(goal.measure && goal.high !== undefined && goal.unit
          ? {
              target: [
                {
                  measure: concept(goal.measure),
                  detailRange: { high: quantity(goal.high, goal.unit) },
                },
              ],
            }
          : {}),
        addresses: [condition],
        expressedBy: practitionerRef(enc.practitioner),
      },
      goal.description,
    ),
  );
  ctx.builder.post(
    {
      resourceType: 'CarePlan',
      status: done ? 'completed' : 'active',
      intent: 'order',
      category: [{ coding: [{ ...ASSESS_PLAN }] }, concept(plan.code)],
      title: plan.code.display,
      subject: ctx.patient,
      encounter: enc.ref,
      period: { start: dateTime(enc.start), ...(done ? { end: dateTime(ended) } : {}) },
      author: practitionerRef(enc.practitioner),
      addresses: [condition],
      ...(goals.length > 0 ? { goal: goals } : {}),
      activity: plan.activities.map((activity) => ({
        detail: { code: concept(activity), status: done ? 'completed' : 'in-progress' },
      })),
    },
    plan.code.display,
  );
}

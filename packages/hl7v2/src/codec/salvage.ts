/** The few MSH values an ACK needs, read naively from a message that would not parse. */
export interface SalvagedHeader {
  sendingApplication?: string;
  sendingFacility?: string;
  receivingApplication?: string;
  receivingFacility?: string;
  controlId?: string;
  processingId?: string;
  version?: string;
}

/**
 * Reads MSH-3..MSH-12 from the first line of unreadable text by splitting on its fourth
 * character, so the AR answering a broken message can still echo its control id (MSA-2) and
 * address the sender. Never throws; returns what it can.
 */
export function salvageHeader(text: string): SalvagedHeader {
  const first = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/, 1)[0] ?? '';
  if (!first.startsWith('MSH') || first.length < 4) return {};
  const fields = first.split(first[3]);
  // fields[1] is MSH-2; MSH-n is fields[n-1].
  const at = (n: number) => {
    const v = fields[n - 1]?.split(/[\^~&\\]/)[0]?.trim();
    return v ? v.slice(0, 199) : undefined;
  };
  return {
    sendingApplication: at(3),
    sendingFacility: at(4),
    receivingApplication: at(5),
    receivingFacility: at(6),
    controlId: at(10),
    processingId: at(11),
    version: at(12),
  };
}

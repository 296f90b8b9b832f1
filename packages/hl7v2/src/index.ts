export { AckCode, type AckOptions, buildAck, readAck } from './ack/ack.js';
export { type BatchItem, batchItems, type Hl7Batch, type Hl7BatchFile, parseBatch } from './batch/batch.js';
export { formatDateTime, parseDate, parseDateTime } from './codec/datetime.js';
export { type Delimiters, defaultDelimiters, readDelimiters } from './codec/delimiters.js';
export {
  ErrorCode,
  type ErrorLocation,
  errorCodeText,
  formatLocation,
  type Hl7Issue,
  Hl7ParseError,
  parseLocation,
} from './codec/errors.js';
export { escapeValue, unescapeValue } from './codec/escape.js';
export { checkHeader } from './codec/header.js';
export { Hl7Message } from './codec/message.js';
export { messageFromLines, parseMessage, splitLines } from './codec/parse.js';
export { type Hl7Path, parsePath } from './codec/path.js';
export { type SalvagedHeader, salvageHeader } from './codec/salvage.js';
export { Hl7Segment, type RawField, splitSegment } from './codec/segment.js';
export { MllpClient, type MllpClientOptions, MllpTransportError } from './mllp/client.js';
export { FrameDecoder, type FrameEvent, frame } from './mllp/frame.js';
export {
  createMllpServer,
  type MllpHandler,
  type MllpLogger,
  type MllpPeer,
  type MllpServer,
  type MllpServerOptions,
} from './mllp/server.js';

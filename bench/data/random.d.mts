export interface Random {
  next(): number;
  int(n: number): number;
  pick<T>(array: readonly T[]): T | undefined;
}
export declare function seededRandom(seed: number | string): Random;

import { mulberry32 } from '../../../src/stand-ins/simulator/faults';

/** A small seeded PRNG, so a fault run that finds a bug can be repeated with the same seed. */
export const seededRandom = mulberry32;

/** A whole number of milliseconds in [min, max). */
export const between = (random: () => number, min: number, max: number) =>
  Math.floor(min + random() * (max - min));

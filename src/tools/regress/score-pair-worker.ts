/** Piscina worker: scores one pair off the main thread (see `ScoringPool`). */
import { scoreImagePair, type ImagePairScores } from './score-pair.js';

export default function scorePairTask(task: {
  baselineBytes: Uint8Array;
  candidateBytes: Uint8Array;
}): Promise<ImagePairScores> {
  return scoreImagePair(task.baselineBytes, task.candidateBytes);
}

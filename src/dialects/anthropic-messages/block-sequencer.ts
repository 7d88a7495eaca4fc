import type { StreamPart } from '../../ir/stream-part.ts';

export type BlockPart = Extract<StreamPart, { index: number }>;

export interface SequencedBlock {
  index: number;
  /** Parts held back while another block is open. */
  held?: BlockPart[];
  ended: boolean;
}

/**
 * Gives canonical blocks their indexes and keeps them strictly sequential: a block that opens while
 * another is still open (interleaved upstream blocks) is held back and released, in order, once the
 * blocks before it have ended.
 */
export class BlockSequencer {
  private nextIndex = 0;
  private active: SequencedBlock | undefined;
  private readonly waiting: SequencedBlock[] = [];

  open(): SequencedBlock {
    const block: SequencedBlock = { index: -1, ended: false };
    if (this.active) {
      block.held = [];
      this.waiting.push(block);
    } else {
      block.index = this.nextIndex++;
      this.active = block;
    }
    return block;
  }

  emit(block: SequencedBlock, part: BlockPart, out: StreamPart[]): void {
    if (block.held) {
      block.held.push(part);
      return;
    }
    part.index = block.index;
    out.push(part);
  }

  close(block: SequencedBlock, endPart: BlockPart, out: StreamPart[]): void {
    this.emit(block, endPart, out);
    block.ended = true;
    if (block !== this.active) return;
    this.active = undefined;
    while (!this.active && this.waiting.length > 0) {
      const next = this.waiting.shift() as SequencedBlock;
      next.index = this.nextIndex++;
      for (const part of next.held ?? []) {
        part.index = next.index;
        out.push(part);
      }
      next.held = undefined;
      if (!next.ended) this.active = next;
    }
  }
}

/**
 * How many signing calls one file's parts may cost, and how many parts each call must then carry.
 *
 * A file of N parts to sign gets ceil(N / perCall) calls. Hashing runs ahead of the PUTs, so in the middle of a file
 * `perCall` parts are soon waiting and a call carries them together. At the start of a file it is otherwise: parts
 * are hashed one at a time (~45 ms each for 8 MiB in one worker), and holding the second part back until eight are
 * hashed left the link idle once the first part was sent (0.3-0.4 s of a 21 s upload at 50 MiB/s). So a call may
 * carry fewer parts while the PUT queue is running dry, if the parts left still fit in the calls left at `largest`
 * parts each; the calls after it then carry a little more ({@link SigningBudget.floor}).
 *
 * Early calls grow: the first may carry one part, the next must carry two, then three, and so on. Signing one part
 * per call spent the spare calls on the first three parts (a call's round trip is shorter than hashing a part), after
 * which the next call waited for ten parts to be hashed while only three or four were in flight: at 50 MiB/s the
 * link still stood idle for 0.03-0.13 s. Growing calls reach the tenth part with the same spare calls.
 */
export class SigningBudget {
  private callsLeft: number;
  private partsLeft: number;
  /** Calls made with fewer than `perCall` parts: the next early call must carry more than this many. */
  private earlyCalls = 0;

  /**
   * @param parts parts of the file that will be signed by calls (not those signed with the upload, or stored before)
   * @param perCall parts per call on average, at least: the budget is ceil(parts / perCall) calls
   * @param largest most parts a call may have to wait for: the parts that can be hashed and unsigned at once while
   *   the parts already signed still keep every PUT slot busy
   */
  constructor(parts: number, private readonly perCall: number, private readonly largest: number) {
    this.partsLeft = Math.max(0, parts);
    this.callsLeft = Math.ceil(this.partsLeft / perCall);
  }

  /** Fewest parts the next call must carry for the rest to fit in the calls left (never fewer than `perCall`). */
  get floor(): number {
    // Spent (calls outside the budget: a URL signed again after a 403): fall back to the plain rule.
    if (this.callsLeft <= 0) return this.perCall;
    return Math.min(this.largest, Math.max(this.perCall, Math.ceil(this.partsLeft / this.callsLeft)));
  }

  /**
   * Whether a call of `parts` parts may go now, before the floor is reached: it carries more parts than the early
   * calls before it did, and leaves the rest coverable by the calls then left, `largest` parts each. (A call that
   * takes all the parts left is always allowed.)
   */
  allows(parts: number): boolean {
    const rest = this.partsLeft - parts;
    if (rest <= 0) return true;
    return parts > this.earlyCalls && rest <= (this.callsLeft - 1) * this.largest;
  }

  /** Records a call that carried `parts` parts. */
  spend(parts: number): void {
    if (parts < this.perCall) this.earlyCalls++;
    this.callsLeft--;
    this.partsLeft = Math.max(0, this.partsLeft - parts);
  }
}

// Lets a test await what the CSMS sends: any unsolicited frame, or a CALL by action.

const HISTORY_LIMIT = 1000;

interface Waiter<T> {
  accept: (item: T) => boolean;
  resolve: (item: T) => void;
}

export interface ReceivedCall {
  action: string;
  payload: any;
}

function waitWithTimeout<T>(waiters: Waiter<T>[], accept: (item: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const waiter: Waiter<T> = {
      accept,
      resolve: (item) => {
        clearTimeout(timer);
        resolve(item);
      },
    };
    const timer = setTimeout(() => {
      waiters.splice(waiters.indexOf(waiter), 1);
      reject(new Error(`no ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    waiters.push(waiter);
  });
}

function deliver<T>(waiters: Waiter<T>[], item: T): boolean {
  const index = waiters.findIndex((w) => w.accept(item));
  if (index < 0) return false;
  const [waiter] = waiters.splice(index, 1);
  waiter?.resolve(item);
  return true;
}

export class FrameInbox {
  private readonly frameWaiters: Array<Waiter<unknown[]>> = [];
  private readonly callWaiters: Array<Waiter<ReceivedCall>> = [];
  /** CALLs no waitForCall has taken yet, oldest first. */
  readonly unclaimedCalls: ReceivedCall[] = [];

  /** Only frames arriving after this call count. */
  nextFrame(timeoutMs: number): Promise<unknown[]> {
    return waitWithTimeout(this.frameWaiters, () => true, timeoutMs, 'frame');
  }

  /** Takes the oldest unclaimed CALL of that action, or waits for one. */
  waitForCall(action: string, timeoutMs: number): Promise<any> {
    const index = this.unclaimedCalls.findIndex((c) => c.action === action);
    if (index >= 0) return Promise.resolve(this.unclaimedCalls.splice(index, 1)[0]?.payload);
    return waitWithTimeout(this.callWaiters, (c) => c.action === action, timeoutMs, `${action} CALL`).then(
      (c) => c.payload,
    );
  }

  /** Every current nextFrame() waiter gets the frame. */
  pushFrame(frame: unknown[]): void {
    for (const waiter of this.frameWaiters.splice(0)) waiter.resolve(frame);
  }

  pushCall(call: ReceivedCall): void {
    if (deliver(this.callWaiters, call)) return;
    this.unclaimedCalls.push(call);
    if (this.unclaimedCalls.length > HISTORY_LIMIT) this.unclaimedCalls.shift();
  }

  clearCalls(): void {
    this.unclaimedCalls.length = 0;
  }
}

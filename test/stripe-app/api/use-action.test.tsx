import { render } from '@stripe/ui-extension-sdk/testing';
import { Banner, Box, Button } from '@stripe/ui-extension-sdk/ui';
import { ApiError } from '../../../stripe-app/src/api/client';
import { useAction, type ActionOptions } from '../../../stripe-app/src/api/use-action';
import { fakeHost } from '../host';
import { findAll, press, seen, settle } from '../support';

afterEach(() => vi.unstubAllGlobals());

function Harness({ act, options }: { act: () => Promise<string>; options: ActionOptions<string> }) {
  const action = useAction();
  return (
    <Box>
      <Button pending={action.busy} disabled={action.busy} onPress={() => void action.run(act, options)}>
        Go
      </Button>
      {action.error ? <Banner type="critical" title="Failed" description={action.error.message} /> : null}
    </Box>
  );
}

describe('useAction', () => {
  test('success: re-reads, refreshes the Dashboard, toasts with the answer', async () => {
    const host = fakeHost();
    const reload = vi.fn();
    const { wrapper, update } = render(
      <Harness act={async () => 'ACME-0007'} options={{ success: (n) => `${n} voided`, failure: 'Could not void', reload: [reload, undefined] }} />,
    );
    press(wrapper, 'Go');
    await settle(update);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(host.refreshes).toBe(1);
    expect(host.toasts).toEqual([{ message: 'ACME-0007 voided', type: 'success' }]);
    expect(findAll(wrapper, 'Banner')).toHaveLength(0);
  });

  test('failure: the error stays for a banner, a short caution toast names what failed, nothing is re-read', async () => {
    const host = fakeHost();
    const reload = vi.fn();
    const { wrapper, update } = render(
      <Harness
        act={async () => {
          throw new ApiError(409, 'invalid_state', 'the invoice is already paid', 'req_1');
        }}
        options={{ success: 'done', failure: 'Could not void ACME-0007', reload }}
      />,
    );
    press(wrapper, 'Go');
    await settle(update);
    expect(reload).not.toHaveBeenCalled();
    expect(host.refreshes).toBe(0);
    expect(host.toasts).toEqual([{ message: 'Could not void ACME-0007', type: 'caution' }]);
    expect(seen(wrapper)).toContain('the invoice is already paid');
  });

  test('toasts stay within the Dashboard’s 30 characters; a success can be a caution', async () => {
    const host = fakeHost();
    const { wrapper, update } = render(
      <Harness
        act={async () => 'Draft · Northwind Logistics · Mar 8, 2026'}
        options={{ success: (n) => `${n} still unpaid`, successType: () => 'caution', failure: 'no' }}
      />,
    );
    press(wrapper, 'Go');
    await settle(update);
    expect(host.toasts).toEqual([{ message: 'Draft · Northwind Logistics ·…', type: 'caution' }]);
    expect(host.toasts[0].message).toHaveLength(30);
  });

  test('busy: a second press while running does not act twice', async () => {
    fakeHost();
    let release!: (v: string) => void;
    const act = vi.fn(() => new Promise<string>((r) => (release = r)));
    const { wrapper, update } = render(<Harness act={act} options={{ success: 'ok', failure: 'no' }} />);
    press(wrapper, 'Go');
    await settle(update);
    expect(findAll(wrapper, 'Button')[0].props.pending).toBe(true);
    // pressing the (disabled) button's handler again is ignored
    press(wrapper, 'Go');
    await settle(update);
    expect(act).toHaveBeenCalledTimes(1);
    release('x');
    await settle(update);
    expect(findAll(wrapper, 'Button')[0].props.pending).toBe(false);
  });

  test('no host (outside the Dashboard): the action still succeeds', async () => {
    const reload = vi.fn();
    const { wrapper, update } = render(<Harness act={async () => 'x'} options={{ success: 'ok', failure: 'no', reload }} />);
    press(wrapper, 'Go');
    await settle(update);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(findAll(wrapper, 'Banner')).toHaveLength(0);
  });
});

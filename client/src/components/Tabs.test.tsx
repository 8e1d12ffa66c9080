import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { setUpUiTests } from '../test/ui';
import { Tabs } from './Tabs';

setUpUiTests();

function Example() {
  const [tab, setTab] = useState<'a' | 'b' | 'c'>('a');
  const tabs = [
    { id: 'a' as const, label: 'Lägesbild' },
    { id: 'b' as const, label: 'Kvittenser' },
    { id: 'c' as const, label: 'Logg' },
  ];
  return (
    <Tabs label="Vyer" tabs={tabs} selected={tab} onSelect={setTab}>
      <p>panel {tab}</p>
    </Tabs>
  );
}

describe('Tabs', () => {
  it('moves between views with the arrow keys, Home and End', async () => {
    const user = userEvent.setup();
    render(<Example />);
    await user.tab();
    expect(document.activeElement?.textContent).toBe('Lägesbild');
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Kvittenser' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').textContent).toBe('panel b');
    await user.keyboard('{End}');
    expect(document.activeElement?.textContent).toBe('Logg');
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement?.textContent).toBe('Lägesbild');
    // Only the chosen tab is in the Tab order; Tab goes on into the panel.
    await user.tab();
    expect(document.activeElement?.getAttribute('role')).toBe('tabpanel');
  });
});

// Plain DOM stand-ins for the SDK's remote-ui components, keyed by the names the SDK registers
// (`createRemoteReactComponent(name)` in @stripe/ui-extension-sdk/ui, ui/next, ui/experimental).
// Hand-written because the Dashboard's own implementations are not published. Every stand-in
// marks its root with data-component="<Name>" so tests and readers can find it; a name without a
// stand-in renders its children inside a labelled dashed box, so nothing silently disappears.
//
// One file per component family under components/; this file is the registry main.tsx reads.
import type { ReactNode } from 'react';
import { type Props, own } from './components/shared';
import {
  Box,
  Inline,
  Divider,
  Img,
  Button,
  Link,
  ButtonGroup,
  Menu,
  MenuItem,
  MenuGroup,
  Tooltip,
  Badge,
  Banner,
  Spinner,
  Icon,
  Chip,
  ChipList,
} from './components/layout';
import {
  List,
  ListItem,
  PropertyList,
  PropertyListItem,
  Accordion,
  AccordionItem,
  TaskList,
  TaskListItem,
  tablePart,
  TableCell,
  TableHeaderCell,
  DataTable,
} from './components/lists';
import {
  Tabs,
  TabList,
  Tab,
  TabPanels,
  TabPanel,
  TextField,
  TextArea,
  Select,
  Option,
  OptGroup,
  toggleField,
  DateField,
  DateRangePicker,
  SearchField,
  CurrencyField,
  FormFieldGroup,
  StripeFileUploader,
} from './components/forms';
import {
  ContextView,
  FocusView,
  SettingsView,
  FullPageView,
  OverviewPage,
  DetailPage,
  PageModule,
  DetailPagePropertyList,
  DetailPageTable,
  ListPage,
  OnboardingView,
  SignInView,
  PlatformConfigurationView,
  BarChart,
  LineChart,
  Sparkline,
  SparkLineChart,
  MeterChart,
} from './components/views';

export { HostContext } from './components/shared';

/** Every component name the SDK registers (ui, ui/next, ui/experimental), plus <option>/<optgroup>. */
export const standIns: Record<string, (p: Props) => ReactNode> = {
  Accordion, AccordionItem, Badge, Banner, BarChart, Box, Button, ButtonGroup, Checkbox: toggleField('Checkbox'),
  Chip, ChipList, ContextView, CurrencyField, DataTable, DateField, DateRangePicker, DetailPage,
  DetailPagePropertyList, DetailPageTable, Divider, FocusView, FormFieldGroup, FullPageView, Icon, Img, Inline,
  LineChart, Link, List, ListItem, ListPage, Menu, MenuGroup, MenuItem, MeterChart, OnboardingView, OverviewPage,
  PageModule, PlatformConfigurationView, PropertyList, PropertyListItem, Radio: toggleField('Radio'), SearchField,
  Select, SettingsView, SignInView, Sparkline, SparkLineChart, Spinner, StripeFileUploader, Switch: toggleField('Switch'),
  Tab, TabList, TabPanel, TabPanels, Table: tablePart('table', 'Table'), TableBody: tablePart('tbody', 'TableBody'),
  TableCell, TableFooter: tablePart('tfoot', 'TableFooter'), TableHead: tablePart('thead', 'TableHead'),
  TableHeaderCell, TableRow: tablePart('tr', 'TableRow'), Tabs, TaskList, TaskListItem, TextArea, TextField, Tooltip,
  option: Option, optgroup: OptGroup,
};

/** A component the preview has no stand-in for: visible, named, with its children. */
export function unknownComponent(name: string) {
  return function Unknown(p: Props) {
    const { children } = own(p);
    return (
      <div data-component={name} data-unknown-component className="unknown-component">
        <span className="unknown-component-name">{`<${name}>`}</span>
        {children}
      </div>
    );
  };
}

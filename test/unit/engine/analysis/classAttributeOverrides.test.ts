import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { indexDirectory, lintSessionKeys, SessionKeyIndex } from '../../../../engine/src/analysis';
import { tempProject } from '../project/tempProject';

/** An index of the project at `root`, and the path of its app/mixins.py. */
async function indexedProject(root: string): Promise<{ index: SessionKeyIndex; mixins: string }> {
  const index = await SessionKeyIndex.create();
  await indexDirectory(index, root);
  return { index, mixins: path.join(root, 'app', 'mixins.py') };
}

describe("self.NAME in a base class's method", () => {
  it("is each subclass's own NAME too, in other modules and through a chain of bases, so a read of an override is no DS101", async () => {
    const root = tempProject({
      'app/__init__.py': '',
      'app/mixins.py': [
        'class SessionFilterMixin:',
        '    filter_session_key = "filters"',
        '',
        '    def store_filters(self, data):',
        '        self.request.session[self.filter_session_key] = data',
        '',
      ].join('\n'),
      'app/views.py': [
        'from django.views.generic import ListView',
        'from app.mixins import SessionFilterMixin',
        'from app import mixins',
        '',
        'class OrderList(SessionFilterMixin, ListView):',
        '    filter_session_key = "order_filters"',
        '',
        'class ArchivedOrderList(OrderList):',
        '    filter_session_key = "archived_filters"',
        '',
        'class InvoiceList(mixins.SessionFilterMixin):',
        '    filter_session_key = INVOICE_KEY',
        '',
        'class Unrelated:',
        '    filter_session_key = "unrelated"',
        '',
        'INVOICE_KEY = "invoice_filters"',
        '',
        'def export_orders(request):',
        '    return request.session.get("order_filters", {}), request.session.get("archived_filters"), request.session.get("invoice_filters"), request.session.get("filters")',
        '',
      ].join('\n'),
    });
    const { index, mixins } = await indexedProject(root);
    assert.deepEqual(
      index.usages().filter((u) => u.file === mixins).map((u) => `${u.range.start.line + 1} ${u.op} ${u.key} ${u.definition?.name}`).sort(),
      ['5 set archived_filters ArchivedOrderList.filter_session_key', '5 set filters SessionFilterMixin.filter_session_key', '5 set invoice_filters INVOICE_KEY', '5 set order_filters OrderList.filter_session_key'],
    );
    assert.equal(index.usages().find((u) => u.file === mixins)?.key, 'filters', "the class's own key comes first at the place, for hover and rename");
    assert.deepEqual(lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).filter((d) => d.code === 'DS101'), []);
  });

  it('follows an edit of a subclass that adds or drops its override', async () => {
    const root = tempProject({
      'app/__init__.py': '',
      'app/mixins.py': 'class Mixin:\n    key = "base"\n\n    def save(self, request):\n        request.session[self.key] = 1\n',
      'app/views.py': 'from app.mixins import Mixin\n\nclass View(Mixin):\n    pass\n',
    });
    const index = await SessionKeyIndex.create();
    await indexDirectory(index, root);
    const keys = () => index.usages().map((u) => u.key).sort();
    assert.deepEqual(keys(), ['base']);
    const views = path.join(root, 'app', 'views.py');
    index.updateFile(views, 'from app.mixins import Mixin\n\nclass View(Mixin):\n    key = "override"\n');
    assert.deepEqual(keys(), ['base', 'override']);
    index.updateFile(views, 'from app.mixins import Mixin\n\nclass View(Mixin):\n    pass\n');
    assert.deepEqual(keys(), ['base']);
  });

  it("puts each subclass's own NAME in a key built from a placeholder the base leaves unset, and says the base's own is what is unknown", async () => {
    const root = tempProject({
      'app/__init__.py': '',
      'app/mixins.py': [
        'class CartMixin:',
        '    cart_prefix = None',
        '',
        '    def remember(self, request, item):',
        '        request.session[f"{self.cart_prefix}_cart"] = item',
        '        request.session[self.cart_prefix] = item',
        '',
      ].join('\n'),
      'app/views.py': [
        'from app.mixins import CartMixin',
        '',
        'class OrderView(CartMixin):',
        '    cart_prefix = "order"',
        '',
        'class WishView(CartMixin):',
        '    cart_prefix = "wish"',
        '',
        'def checkout(request):',
        '    return request.session.get("order_cart"), request.session.get("wish_cart"), request.session.get("order"), request.session.get("wish")',
        '',
      ].join('\n'),
    });
    const { index, mixins } = await indexedProject(root);
    assert.deepEqual(
      index.usages().filter((u) => u.file === mixins).map((u) => `${u.range.start.line + 1} ${u.op} ${u.key}`).sort(),
      ['5 set order_cart', '5 set wish_cart', '6 set order', '6 set wish'],
    );
    const placeholder = "'self.cart_prefix' is set by CartMixin's subclasses (OrderView, WishView), whose keys are counted here, while CartMixin itself binds no str to cart_prefix the scanner can find";
    assert.deepEqual(
      index.unresolved().map((u) => `${u.range.start.line + 1} ${u.reason}`),
      [`5 the key is built from self.cart_prefix: ${placeholder}`, `6 ${placeholder}`],
    );
    assert.deepEqual(lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).filter((d) => d.code === 'DS101' || d.code === 'DS102'), []);
  });
});

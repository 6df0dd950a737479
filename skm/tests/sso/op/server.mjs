// A real OpenID Connect provider (panva/oidc-provider) for the SSO tests only.
//
// Usage: node server.mjs, with
//   OP_PORT            the port on 127.0.0.1 (the issuer is http://127.0.0.1:OP_PORT)
//   OP_CLIENT_ID, OP_CLIENT_SECRET
//   OP_REDIRECT_URI    the product's callback (…/sso/callback/)
//   OP_POST_LOGOUT_URI where the provider sends the browser after its logout
//
// One confidential client (client_secret_post, code flow, RS256 ID tokens);
// the signing key is generated at start. The accounts are fixed: the
// development login form (devInteractions) takes the account id as the login
// name and any password; consent is granted without asking (a first-party
// client). Test helpers: GET /test/events lists the provider events seen
// (end_session.success, …) and GET /test/other-jwks serves a JWKS of another
// key under the same kid, to check that the product refuses a token it cannot
// verify. Prints "ready <issuer>" once it listens.
import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.OP_PORT || 0);
if (!port) {
  console.error('OP_PORT is required');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;
const KID = 'skm-test-key';

const ACCOUNTS = {
  'alice-sub': { email: 'alice@pulutan.example.go.id', email_verified: true, name: 'Alice' },
  'unverified-sub': { email: 'alice@pulutan.example.go.id', email_verified: false, name: 'Alice (unverified)' },
  'stranger-sub': { email: 'stranger@example.org', email_verified: true, name: 'Stranger' },
  'admin-sub': { email: 'admin@pulutan.example.go.id', email_verified: true, name: 'Admin' },
};

async function signingJwk() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: KID, alg: 'RS256', use: 'sig' };
}

const signing = await signingJwk();
const other = await signingJwk();
const otherPublic = { kty: other.kty, n: other.n, e: other.e, kid: KID, alg: 'RS256', use: 'sig' };

const events = [];

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OP_CLIENT_ID,
      client_secret: process.env.OP_CLIENT_SECRET,
      redirect_uris: [process.env.OP_REDIRECT_URI],
      post_logout_redirect_uris: [process.env.OP_POST_LOGOUT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
    },
  ],
  jwks: { keys: [signing] },
  cookies: { keys: ['skm-test-provider-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // The confirmation form is submitted at once ("yes, sign me out").
      async logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html><head><title>Logout</title></head><body>${form}
<script>const f = document.getElementById('op.logoutForm');
const i = document.createElement('input'); i.type = 'hidden'; i.name = 'logout'; i.value = 'yes';
f.appendChild(i); f.submit();</script></body></html>`;
      },
    },
  },
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
  // A first-party client: consent is given without a page.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

for (const name of ['end_session.success', 'grant.success', 'authorization.success', 'server_error']) {
  provider.on(name, (ctx) => events.push({ event: name, path: ctx?.path }));
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/test/events') {
    ctx.body = events;
    return;
  }
  if (ctx.path === '/test/other-jwks') {
    ctx.body = { keys: [otherPublic] };
    return;
  }
  await next();
});

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}

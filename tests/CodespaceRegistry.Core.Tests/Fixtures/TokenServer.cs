using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>
    /// A registry token server (the Docker token authentication spec) on <see cref="LoopbackServer"/>: checks Basic
    /// credentials, grants the requested actions the user has, and signs an RS256 JWT whose header carries the signing
    /// certificate in <c>x5c</c>, as CNCF Distribution verifies against its <c>rootcertbundle</c>.
    /// </summary>
    public sealed class TokenServer : IAsyncDisposable
    {
        public const string Service = "codespace-test-registry";
        public const string Issuer = "codespace-test-issuer";

        private readonly IReadOnlyDictionary<string, (string Password, string[] Actions)> _users;
        private LoopbackServer _server = null!;
        private readonly ConcurrentDictionary<string, string> _refreshTokens = new ConcurrentDictionary<string, string>();
        private int _requests;

        private TokenServer(IReadOnlyDictionary<string, (string, string[])> users)
        {
            _users = users;
        }

        public X509Certificate2 Signer { get; } = TestCertificates.CreateTokenSigner();

        public string Realm => new Uri(_server.BaseUri, "token").ToString();

        /// <summary>Token requests served (answered with a token or refused).</summary>
        public int Requests => Volatile.Read(ref _requests);

        /// <summary>The client_id of every identity-token (refresh_token grant) request, in order.</summary>
        public ConcurrentQueue<string> RefreshRequests { get; } = new ConcurrentQueue<string>();

        /// <summary>The scope parameters of every request, in order.</summary>
        public ConcurrentQueue<string> Scopes { get; } = new ConcurrentQueue<string>();

        public static async Task<TokenServer> StartAsync(IReadOnlyDictionary<string, (string Password, string[] Actions)> users)
        {
            var tokens = new TokenServer(users);
            tokens._server = await LoopbackServer.StartAsync(tokens.HandleAsync);
            return tokens;
        }

        private async Task HandleAsync(HttpContext context)
        {
            if (context.Request.Path != "/token")
            {
                context.Response.StatusCode = 404;
                return;
            }
            Interlocked.Increment(ref _requests);
            string? user = null;
            string[] allowed = Array.Empty<string>();
            IEnumerable<string?> scopes = context.Request.Query["scope"];
            var service = context.Request.Query["service"].ToString();
            if (HttpMethods.IsPost(context.Request.Method))
            {
                // OAuth2 (the token spec's POST): an identity token from an earlier login stands for its user.
                var form = await context.Request.ReadFormAsync();
                if (form["grant_type"] != "refresh_token" || !_refreshTokens.TryGetValue(form["refresh_token"].ToString(), out var owner))
                {
                    context.Response.StatusCode = 401;
                    return;
                }
                RefreshRequests.Enqueue(form["client_id"].ToString());
                (user, allowed) = (owner, _users[owner].Actions);
                scopes = form["scope"].SelectMany(v => (v ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
                service = form["service"].ToString();
            }
            var header = context.Request.Headers.Authorization.ToString();
            if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Substring(6).Trim()));
                var colon = pair.IndexOf(':');
                user = pair.Substring(0, colon);
                if (!_users.TryGetValue(user, out var known) || known.Password != pair.Substring(colon + 1))
                {
                    context.Response.StatusCode = 401;
                    context.Response.Headers.WWWAuthenticate = "Basic realm=\"token\"";
                    await context.Response.WriteAsJsonAsync(new { errors = new[] { new { code = "UNAUTHORIZED", message = "bad credentials" } } });
                    return;
                }
                allowed = known.Actions;
            }

            var access = new List<object>();
            foreach (var scope in scopes)
            {
                Scopes.Enqueue(scope ?? "");
                var parts = (scope ?? "").Split(':');
                if (parts.Length < 3) continue;
                var granted = parts[^1].Split(',').Intersect(allowed).ToArray();
                access.Add(new { type = parts[0], name = string.Join(":", parts[1..^1]), actions = granted });
            }

            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var token = Sign(new Dictionary<string, object>
            {
                ["iss"] = Issuer,
                ["sub"] = user ?? "",
                ["aud"] = service,
                ["exp"] = now + 300,
                ["nbf"] = now - 10,
                ["iat"] = now,
                ["jti"] = Guid.NewGuid().ToString("N"),
                ["access"] = access,
            });
            string? refreshToken = null;
            if (user != null && context.Request.Query["offline_token"] == "true")
            {
                refreshToken = "refresh-" + Guid.NewGuid().ToString("N");
                _refreshTokens[refreshToken] = user;
            }
            await context.Response.WriteAsJsonAsync(new { token, access_token = token, expires_in = 300, issued_at = DateTimeOffset.UtcNow.ToString("o"), refresh_token = refreshToken });
        }

        private string Sign(Dictionary<string, object> claims)
        {
            var header = new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "JWT", ["x5c"] = new[] { Convert.ToBase64String(Signer.RawData) } };
            var signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
            using var rsa = Signer.GetRSAPrivateKey()!;
            var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return signingInput + "." + Base64Url(signature);
        }

        private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public async ValueTask DisposeAsync()
        {
            await _server.DisposeAsync();
            Signer.Dispose();
        }
    }
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>
    /// Codespaces secrets for the authenticated user (<c>/user/codespaces/secrets</c>, scope codespace or
    /// codespace:secrets), a repository (<c>/repos/{owner}/{repo}/codespaces/secrets</c>, scope repo) and an
    /// organization (<c>/orgs/{org}/codespaces/secrets</c>, scope admin:org): list, public-key, get, put, delete,
    /// and the selected repositories of user and organization secrets.
    /// </summary>
    public sealed partial class FakeGitHubApi
    {
        /// <summary>The authenticated user's secrets.</summary>
        public FakeSecretStore User { get; } = new FakeSecretStore();

        /// <summary>Organizations' secrets by login.</summary>
        public ConcurrentDictionary<string, FakeSecretStore> Organizations { get; } = new ConcurrentDictionary<string, FakeSecretStore>(StringComparer.OrdinalIgnoreCase);

        public FakeSecretStore AddOrganization(string login) => Organizations.GetOrAdd(login, _ => new FakeSecretStore());

        private void MapCodespacesSecrets(IEndpointRouteBuilder api)
        {
            MapSecretLevel(api, "/user/codespaces/secrets", _ => User, hasPolicy: true, "codespace", "codespace:secrets");
            MapSecretLevel(api, "/repos/{owner}/{repo}/codespaces/secrets",
                c => Repositories.TryGetValue(Route(c, "owner") + "/" + Route(c, "repo"), out var r) ? r.Secrets : null, hasPolicy: false, "repo");
            MapSecretLevel(api, "/orgs/{org}/codespaces/secrets",
                c => Organizations.TryGetValue(Route(c, "org"), out var o) ? o : null, hasPolicy: true, "admin:org");
        }

        private void MapSecretLevel(IEndpointRouteBuilder api, string path, Func<HttpContext, FakeSecretStore?> find, bool hasPolicy, params string[] scopes)
        {
            RequestDelegate With(Func<HttpContext, FakeSecretStore, Task> handle) => async c =>
            {
                if (!await RequireScope(c, scopes)) return;
                if (find(c) is not FakeSecretStore store)
                {
                    await Error(c, 404, "Not Found");
                    return;
                }
                await handle(c, store);
            };

            object Shape(HttpContext c, FakeSecret s) => hasPolicy
                ? new { name = s.Name, created_at = s.CreatedAt, updated_at = s.UpdatedAt, visibility = s.Visibility, selected_repositories_url = $"{c.Request.Scheme}://{c.Request.Host}{c.Request.PathBase}{c.Request.Path.Value!.Split("/codespaces/secrets")[0]}/codespaces/secrets/{s.Name}/repositories" }
                : new { name = s.Name, created_at = s.CreatedAt, updated_at = s.UpdatedAt };

            api.MapGet(path, With((c, store) =>
                Page(c, "secrets", store.Secrets.Values.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => Shape(c, s)).ToList())));
            api.MapGet(path + "/public-key", With((c, store) =>
                Json(c, new { key_id = store.KeyId, key = Convert.ToBase64String(store.PublicKey) })));
            api.MapGet(path + "/{name}", With((c, store) =>
                store.Secrets.TryGetValue(Route(c, "name"), out var s) ? Json(c, Shape(c, s)) : Error(c, 404, "Not Found")));
            api.MapDelete(path + "/{name}", With((c, store) =>
            {
                if (!store.Secrets.TryRemove(Route(c, "name"), out _)) return Error(c, 404, "Not Found");
                c.Response.StatusCode = 204;
                return Task.CompletedTask;
            }));
            api.MapPut(path + "/{name}", With(async (c, store) =>
            {
                if (await ReadBody(c) is not JsonElement body) return;
                if (Validate(body, store, hasPolicy, requirePolicy: path.StartsWith("/orgs", StringComparison.Ordinal)) is string problem)
                {
                    await Error(c, 422, problem);
                    return;
                }
                var name = Route(c, "name");
                var created = !store.Secrets.ContainsKey(name);
                var secret = store.Secrets.GetOrAdd(name, n => new FakeSecret(n));
                secret.EncryptedValue = body.GetProperty("encrypted_value").GetString()!;
                secret.KeyId = body.GetProperty("key_id").GetString()!;
                secret.UpdatedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
                if (body.TryGetProperty("visibility", out var visibility)) secret.Visibility = visibility.GetString()!;
                if (body.TryGetProperty("selected_repository_ids", out var ids))
                {
                    secret.SelectedRepositoryIds = ids.EnumerateArray().Select(id => id.ValueKind == JsonValueKind.Number ? id.GetInt64() : long.Parse(id.GetString()!)).ToList();
                    if (!path.StartsWith("/orgs", StringComparison.Ordinal)) secret.Visibility = "selected";
                }
                c.Response.StatusCode = created ? 201 : 204;
            }));
            if (!hasPolicy) return;
            api.MapGet(path + "/{name}/repositories", With((c, store) =>
            {
                if (!store.Secrets.TryGetValue(Route(c, "name"), out var s)) return Error(c, 404, "Not Found");
                if (s.Visibility != "selected") return Error(c, 409, "Conflict: the secret's visibility is not 'selected'.");
                var repositories = s.SelectedRepositoryIds.Select(id => Repositories.Values.FirstOrDefault(r => r.Id == id)).OfType<FakeRepository>().Select(r => r.ToJson()).ToList();
                return Page(c, "repositories", repositories);
            }));
        }

        private static string? Validate(JsonElement body, FakeSecretStore store, bool hasPolicy, bool requirePolicy)
        {
            if (body.ValueKind != JsonValueKind.Object) return "Invalid request.\n\nFor 'links/0/schema', is not an object.";
            if (!body.TryGetProperty("key_id", out var keyId) || keyId.GetString() != store.KeyId) return "Invalid request.\n\nkey_id does not match the public key.";
            if (!body.TryGetProperty("encrypted_value", out var value) || value.ValueKind != JsonValueKind.String) return "Invalid request.\n\nencrypted_value is required.";
            try
            {
                if (Convert.FromBase64String(value.GetString()!).Length < Libsodium.SealBytes) return "Invalid request.\n\nencrypted_value is not a sealed box.";
            }
            catch (FormatException)
            {
                return "Invalid request.\n\nencrypted_value is not base64.";
            }
            if (!hasPolicy && (body.TryGetProperty("visibility", out _) || body.TryGetProperty("selected_repository_ids", out _)))
                return "Invalid request.\n\nRepository secrets have no visibility.";
            if (requirePolicy && (!body.TryGetProperty("visibility", out var v) || v.GetString() is not ("all" or "private" or "selected")))
                return "Invalid request.\n\nvisibility must be one of all, private, selected.";
            return null;
        }
    }

    /// <summary>One level's secrets and its public key, a real X25519 key pair so tests can open what was written.</summary>
    public sealed class FakeSecretStore
    {
        private static long _lastKeyId = 568250167242549743;
        private readonly byte[] _secretKey;

        public FakeSecretStore()
        {
            (PublicKey, _secretKey) = Libsodium.BoxKeyPair();
            KeyId = System.Threading.Interlocked.Increment(ref _lastKeyId).ToString();
        }

        public string KeyId { get; }
        public byte[] PublicKey { get; }
        public ConcurrentDictionary<string, FakeSecret> Secrets { get; } = new ConcurrentDictionary<string, FakeSecret>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Adds a secret whose value is not readable (a test seeds what only the list shows).</summary>
        public FakeSecret Add(string name, string visibility = "all", params long[] selectedRepositoryIds)
        {
            var secret = new FakeSecret(name) { Visibility = visibility, SelectedRepositoryIds = selectedRepositoryIds.ToList() };
            Secrets[name] = secret;
            return secret;
        }

        /// <summary>What libsodium opens from the stored value (as GitHub does), or null when it does not open.</summary>
        public string? Open(string name)
        {
            var secret = Secrets[name];
            if (secret.KeyId != KeyId) return null;
            var plain = Libsodium.SealOpen(Convert.FromBase64String(secret.EncryptedValue), PublicKey, _secretKey);
            return plain == null ? null : Encoding.UTF8.GetString(plain);
        }
    }

    public sealed class FakeSecret
    {
        public FakeSecret(string name)
        {
            Name = name;
            CreatedAt = UpdatedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        }

        public string Name { get; }
        public string Visibility { get; set; } = "all";
        public List<long> SelectedRepositoryIds { get; set; } = new List<long>();
        public string EncryptedValue { get; set; } = "";
        public string KeyId { get; set; } = "";
        public string CreatedAt { get; }
        public string UpdatedAt { get; set; }
    }
}

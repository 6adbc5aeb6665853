using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary><c>GET /repos/{owner}/{repo}</c>.</summary>
    public sealed partial class FakeGitHubApi
    {
        private long _lastRepositoryId = 1296268;

        /// <summary>Repositories by <c>owner/name</c> (case-insensitive, as GitHub matches them).</summary>
        public ConcurrentDictionary<string, FakeRepository> Repositories { get; } = new ConcurrentDictionary<string, FakeRepository>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Adds a repository; <paramref name="visibility"/> is public, private or internal.</summary>
        public FakeRepository AddRepository(string fullName, string visibility = "private", string ownerType = "Organization")
        {
            var repository = new FakeRepository(Interlocked.Increment(ref _lastRepositoryId), fullName, visibility, ownerType);
            Repositories[fullName] = repository;
            return repository;
        }

        private void MapRepositories(IEndpointRouteBuilder api) =>
            api.MapGet("/repos/{owner}/{repo}", (RequestDelegate)(async c =>
            {
                if (!Repositories.TryGetValue(Route(c, "owner") + "/" + Route(c, "repo"), out var repository))
                {
                    await Error(c, 404, "Not Found");
                    return;
                }
                if (repository.Visibility != "public" && !await RequireScope(c, "repo")) return;
                await Json(c, repository.ToJson());
            }));
    }

    /// <summary>A repository of the fake, with its Codespaces secrets.</summary>
    public sealed class FakeRepository
    {
        public FakeRepository(long id, string fullName, string visibility, string ownerType)
        {
            Id = id;
            FullName = fullName;
            Visibility = visibility;
            OwnerType = ownerType;
            Secrets = new FakeSecretStore();
        }

        public long Id { get; }
        public string FullName { get; }
        public string Owner => FullName.Split('/')[0];
        public string Name => FullName.Split('/')[1];
        public string Visibility { get; set; }
        public string OwnerType { get; }
        public FakeSecretStore Secrets { get; }

        /// <summary>The repository object of GitHub's description (the fields clients read).</summary>
        public object ToJson() => new
        {
            id = Id,
            node_id = "R_kgDO" + Id,
            name = Name,
            full_name = FullName,
            @private = Visibility != "public",
            visibility = Visibility,
            owner = new { login = Owner, id = 9919, type = OwnerType, site_admin = false },
            html_url = "https://github.com/" + FullName,
            fork = false,
            url = "https://api.github.com/repos/" + FullName,
        };
    }
}

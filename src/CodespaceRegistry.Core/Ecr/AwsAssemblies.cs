using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace CodespaceRegistry.Ecr
{
    /// <summary>
    /// Loads <c>CodespaceRegistry.Aws</c> and its AWS SDK from the module's <c>dependencies/aws</c> folder, once,
    /// the first time an ECR operation needs it, apart from any other AWS SDK in the session (the AWS Tools for
    /// PowerShell load their own AWSSDK.Core).
    /// On .NET (PowerShell 7) the SDK goes into its own AssemblyLoadContext: the AWS assemblies are loaded into
    /// it by path, everything else (this Core, the framework) comes from the default context, so
    /// <see cref="IEcrApi"/> is the same type on both sides. Core targets netstandard2.0, which cannot name
    /// AssemblyLoadContext, so the context is created through reflection on its public constructor.
    /// On .NET Framework (Windows PowerShell 5.1) there are no load contexts: an AssemblyResolve handler answers
    /// only for assemblies whose files are in that folder, as PSResourceGet's ModuleInitAndCleanup does, so an
    /// SDK another module loaded first wins there.
    /// </summary>
    public static class AwsAssemblies
    {
        public const string AssemblyName = "CodespaceRegistry.Aws";
        public const string ImplementationType = "CodespaceRegistry.Aws.AwsEcrApi";

        private static readonly object Gate = new object();
        private static Assembly? _loaded;

        /// <summary>The folder the module ships the AWS assemblies in: <c>dependencies/aws</c> next to Core.</summary>
        public static string DefaultDirectory =>
            Path.Combine(Path.GetDirectoryName(typeof(AwsAssemblies).Assembly.Location) ?? ".", "dependencies", "aws");

        /// <summary>The AWS implementation of <see cref="IEcrApi"/> from <see cref="DefaultDirectory"/>.</summary>
        public static IEcrApi LoadEcrApi() => LoadEcrApi(DefaultDirectory);

        /// <exception cref="RegistryException">ErrorId <c>AwsSupportMissing</c> when the folder lacks the assemblies.</exception>
        public static IEcrApi LoadEcrApi(string directory)
        {
            var assembly = Load(directory);
            var type = assembly.GetType(ImplementationType, throwOnError: true)!;
            return (IEcrApi)Activator.CreateInstance(type)!;
        }

        private static Assembly Load(string directory)
        {
            lock (Gate)
            {
                if (_loaded != null) return _loaded;
                var path = Path.Combine(directory, AssemblyName + ".dll");
                if (!File.Exists(path))
                {
                    throw new RegistryException("AwsSupportMissing", ErrorKind.NotImplemented,
                        $"The ECR support is missing: {path} does not exist. Reinstall the module, or stage it with 'dotnet publish src/CodespaceRegistry -c Release'.");
                }
                var contextType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext", throwOnError: false);
                _loaded = contextType != null ? LoadIsolated(contextType, directory, path) : LoadWithResolveHandler(directory, path);
                return _loaded;
            }
        }

        private static Assembly LoadIsolated(Type contextType, string directory, string path)
        {
            var context = Activator.CreateInstance(contextType, "CodespaceRegistry.Aws", false)!;
            var loadFromPath = contextType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!;
            // The SDK first, so that CodespaceRegistry.Aws binds to these copies and never to one in the default context.
            foreach (var sdk in Directory.GetFiles(directory, "AWSSDK.*.dll").OrderBy(f => f, StringComparer.Ordinal))
            {
                loadFromPath.Invoke(context, new object[] { sdk });
            }
            // What neither context has (netstandard shims the SDK needs on older runtimes) comes from the folder too.
            var resolving = contextType.GetEvent("Resolving")!;
            var handler = Delegate.CreateDelegate(resolving.EventHandlerType!, new FolderResolver(directory), typeof(FolderResolver).GetMethod(nameof(FolderResolver.Resolve))!);
            resolving.AddEventHandler(context, handler);
            return (Assembly)loadFromPath.Invoke(context, new object[] { path })!;
        }

        private static Assembly LoadWithResolveHandler(string directory, string path)
        {
            var resolver = new FolderResolver(directory);
            AppDomain.CurrentDomain.AssemblyResolve += (_, args) => resolver.ResolveFile(new AssemblyName(args.Name));
            return Assembly.LoadFrom(path);
        }

        private sealed class FolderResolver
        {
            private readonly string _directory;

            public FolderResolver(string directory) { _directory = directory; }

            // Bound to AssemblyLoadContext.Resolving (Func<AssemblyLoadContext, AssemblyName, Assembly?>) through
            // delegate contravariance: the context is only passed on, so object suffices.
            public Assembly? Resolve(object context, AssemblyName name)
            {
                if (IsCore(name)) return Core;
                var file = FileOf(name);
                if (file != null) return (Assembly?)context.GetType().GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!.Invoke(context, new object[] { file });
                return ShareFromModule(name);
            }

            public Assembly? ResolveFile(AssemblyName name)
            {
                if (IsCore(name)) return Core;
                var file = FileOf(name);
                return file != null ? Assembly.LoadFrom(file) : ShareFromModule(name);
            }

            // Core's own dependencies (System.Text.Json, Microsoft.Bcl.*) ship once, beside Core: load them the way
            // Core does, so both sides share one copy and one set of types.
            private static Assembly? ShareFromModule(AssemblyName name)
            {
                var file = Path.Combine(Path.GetDirectoryName(Core.Location) ?? ".", name.Name + ".dll");
                return string.IsNullOrEmpty(name.Name) || !File.Exists(file) ? null : Assembly.LoadFrom(file);
            }

            // CodespaceRegistry.Aws implements Core's IEcrApi, so it must bind to the Core already loaded (the module
            // loads Core by path, where neither the load context's fallback nor .NET Framework's probing looks).
            private static Assembly Core => typeof(AwsAssemblies).Assembly;

            private static bool IsCore(AssemblyName name) => name.Name == Core.GetName().Name;

            private string? FileOf(AssemblyName name)
            {
                if (string.IsNullOrEmpty(name.Name)) return null;
                var file = Path.Combine(_directory, name.Name + ".dll");
                return File.Exists(file) ? file : null;
            }
        }
    }
}

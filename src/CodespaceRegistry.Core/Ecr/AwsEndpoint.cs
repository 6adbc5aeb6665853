using System;
using System.Collections.Generic;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Ecr
{
    /// <summary>The AWS APIs the ECR swap and the identity check call.</summary>
    public enum AwsService
    {
        /// <summary>Amazon ECR (private registries), AWS JSON 1.1, signing name <c>ecr</c>.</summary>
        Ecr,

        /// <summary>Amazon ECR Public, AWS JSON 1.1, signing name <c>ecr-public</c>, us-east-1 only.</summary>
        EcrPublic,

        /// <summary>AWS STS, for GetCallerIdentity, signing name <c>sts</c>.</summary>
        Sts,
    }

    /// <summary>
    /// Where one AWS API call goes and how it is signed: the URL, the region and the service name in the
    /// SigV4 credential scope. Resolved from a registry server the way the AWS SDKs resolve endpoints, with
    /// the SDKs' standard overrides (<c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, <c>AWS_ENDPOINT_URL</c>).
    /// </summary>
    public sealed class AwsEndpoint
    {
        public AwsEndpoint(AwsService service, Uri url, string region)
        {
            Service = service;
            Url = url ?? throw new ArgumentNullException(nameof(url));
            Region = region ?? throw new ArgumentNullException(nameof(region));
        }

        public AwsService Service { get; }

        public Uri Url { get; }

        /// <summary>The region in the signature's credential scope.</summary>
        public string Region { get; }

        /// <summary>The service in the signature's credential scope.</summary>
        public string SigningName => Service switch
        {
            AwsService.EcrPublic => "ecr-public",
            AwsService.Sts => "sts",
            _ => "ecr",
        };

        /// <summary>The name of the environment variable that overrides this service's endpoint.</summary>
        public static string OverrideVariable(AwsService service) => service switch
        {
            AwsService.EcrPublic => "AWS_ENDPOINT_URL_ECR_PUBLIC",
            AwsService.Sts => "AWS_ENDPOINT_URL_STS",
            _ => "AWS_ENDPOINT_URL_ECR",
        };

        /// <summary>
        /// The endpoint of <paramref name="service"/> for an ECR registry: its region and partition, FIPS and
        /// dual-stack when the registry host is. <paramref name="explicitUrl"/> (a parameter) wins over the
        /// environment, which wins over the partition's endpoint, unless <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c> is true.
        /// </summary>
        /// <exception cref="RegistryException">ErrorId <c>NotAnEcrRegistry</c>.</exception>
        public static AwsEndpoint For(AwsService service, RegistryServer server, IReadOnlyDictionary<string, string?> environment, Uri? explicitUrl = null)
        {
            if (server == null) throw new ArgumentNullException(nameof(server));
            if ((server.Kind != RegistryKind.AmazonEcr && server.Kind != RegistryKind.AmazonEcrPublic) || server.Region == null)
            {
                throw new RegistryException("NotAnEcrRegistry", ErrorKind.InvalidArgument,
                    $"{server.Host} is not an Amazon ECR registry, so there is no ECR token to fetch for it. " +
                    "An ECR server looks like 123456789012.dkr.ecr.us-east-1.amazonaws.com or public.ecr.aws.");
            }
            if (service == AwsService.Ecr && server.Kind == RegistryKind.AmazonEcrPublic) service = AwsService.EcrPublic;
            var region = server.Region;
            var url = explicitUrl ?? Configured(service, environment) ?? new Uri("https://" + DefaultHost(service, server) + "/");
            return new AwsEndpoint(service, url, region);
        }

        private static Uri? Configured(AwsService service, IReadOnlyDictionary<string, string?> environment)
        {
            if (environment.TryGetValue("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", out var ignore) &&
                string.Equals(ignore?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
            foreach (var name in new[] { OverrideVariable(service), "AWS_ENDPOINT_URL" })
            {
                if (environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value))
                {
                    if (!Uri.TryCreate(value!.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
                    {
                        throw new RegistryException("InvalidAwsEndpointUrl", ErrorKind.InvalidArgument,
                            $"{name} is '{value.Trim()}', which is not an http or https URL. Set it to a URL such as https://ecr.us-east-1.amazonaws.com, or remove it.");
                    }
                    return uri;
                }
            }
            return null;
        }

        private static string DefaultHost(AwsService service, RegistryServer server)
        {
            var region = server.Region!;
            if (service == AwsService.EcrPublic) return "api.ecr-public." + region + ".amazonaws.com";
            var prefix = (service == AwsService.Sts ? "sts" : "ecr") + (server.IsFips ? "-fips" : "");
            return prefix + "." + region + "." + (server.IsDualStack ? DualStackSuffix(server.Partition) : DnsSuffix(server.Partition));
        }

        /// <summary>The partition's DNS suffix, as the AWS SDKs' partitions.json lists it.</summary>
        private static string DnsSuffix(string? partition) => partition switch
        {
            "aws-cn" => "amazonaws.com.cn",
            "aws-iso" => "c2s.ic.gov",
            "aws-iso-b" => "sc2s.sgov.gov",
            "aws-iso-e" => "cloud.adc-e.uk",
            "aws-iso-f" => "csp.hci.ic.gov",
            "aws-eusc" => "amazonaws.eu",
            _ => "amazonaws.com",
        };

        private static string DualStackSuffix(string? partition) => partition == "aws-cn" ? "api.amazonwebservices.com.cn" : "api.aws";

        public override string ToString() => $"{Service} {Url} ({Region})";
    }
}

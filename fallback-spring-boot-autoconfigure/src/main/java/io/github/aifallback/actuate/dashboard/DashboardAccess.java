package io.github.aifallback.actuate.dashboard;

import java.util.Locale;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Whether the dashboard may change circuits: exactly when the {@code aifallback} endpoint's
 * write access is granted. Where Actuator is present its {@code EndpointAccessResolver}
 * decides, so {@code management.endpoints.access.default} and
 * {@code management.endpoints.access.max-permitted} count as they do for the endpoint;
 * without it, only {@code management.endpoint.aifallback.access=unrestricted} grants it.
 */
final class DashboardAccess {

	static final String ACCESS_PROPERTY = "management.endpoint.aifallback.access";

	private static final String RESOLVER = "org.springframework.boot.actuate.endpoint.EndpointAccessResolver";

	private DashboardAccess() {
	}

	static boolean writable(BeanFactory beanFactory, Environment environment) {
		if (ClassUtils.isPresent(RESOLVER, DashboardAccess.class.getClassLoader())) {
			Boolean resolved = ActuatorAccess.writable(beanFactory);
			if (resolved != null) {
				return resolved;
			}
		}
		String access = environment.getProperty(ACCESS_PROPERTY, "");
		return access.trim().replace('-', '_').toUpperCase(Locale.ROOT).equals("UNRESTRICTED");
	}

	/** A class of its own, so that Actuator's classes are loaded only when present. */
	private static final class ActuatorAccess {

		static Boolean writable(BeanFactory beanFactory) {
			EndpointAccessResolver resolver = beanFactory.getBeanProvider(EndpointAccessResolver.class)
				.getIfAvailable();
			if (resolver == null) {
				return null;
			}
			// READ_ONLY: the endpoint's own default access (@Endpoint(defaultAccess = ...)).
			return resolver.accessFor(EndpointId.of("aifallback"), Access.READ_ONLY) == Access.UNRESTRICTED;
		}

	}

}

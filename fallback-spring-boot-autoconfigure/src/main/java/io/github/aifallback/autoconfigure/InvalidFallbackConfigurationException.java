package io.github.aifallback.autoconfigure;

/**
 * Thrown at start-up when {@code ai.fallback.*} cannot work. Names the property and the
 * fix; never holds a key.
 *
 * @since 0.1.0
 */
public class InvalidFallbackConfigurationException extends RuntimeException {

	private final String property;

	private final String problem;

	private final String fix;

	/**
	 * Create an exception.
	 * @param property the offending property, e.g. {@code ai.fallback.chain[0].model}
	 * @param problem what is wrong (never a secret value)
	 * @param fix what to do about it
	 */
	public InvalidFallbackConfigurationException(String property, String problem, String fix) {
		super("Invalid '" + property + "': " + problem);
		this.property = property;
		this.problem = problem;
		this.fix = fix;
	}

	/**
	 * The offending property.
	 * @return its name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * What is wrong.
	 * @return the problem
	 */
	public String getProblem() {
		return this.problem;
	}

	/**
	 * What to do about it.
	 * @return the fix
	 */
	public String getFix() {
		return this.fix;
	}

}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @dev Test fixture for the executor's code-pinning guard: a metamorphic deployer. Every contract it
 * deploys at a given salt uses the same init code ({ExecMetamorphicInit}), so it lands at the same
 * CREATE2 address, but that init code returns the runtime code of whatever implementation the factory
 * points at. After the deployed contract selfdestructs (pre-Cancun, where that removes the code), the
 * same address can be filled with different code. Not for deployment.
 */
contract ExecCreate2Factory {
    /// @notice The implementation whose runtime code the next deployment copies.
    address public currentImplementation;

    /// @notice Emitted for every deployment.
    event Deployed(address indexed deployed, bytes32 indexed salt, address implementation);

    error ExecCreate2DeployFailed(bytes32 salt);

    /// @notice Deploys a copy of `implementation`'s runtime code at the CREATE2 address of `salt`.
    function deploy(bytes32 salt, address implementation) external returns (address deployed) {
        currentImplementation = implementation;
        try new ExecMetamorphicInit{salt: salt}() returns (ExecMetamorphicInit created) {
            deployed = address(created);
        } catch {
            revert ExecCreate2DeployFailed(salt);
        }
        emit Deployed(deployed, salt, implementation);
    }

    /// @notice The address a deployment at `salt` lands at.
    function addressOf(bytes32 salt) external view returns (address) {
        bytes32 initHash = keccak256(type(ExecMetamorphicInit).creationCode);
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, initHash)))));
    }
}

/// @dev Fixed init code that returns the factory's current implementation's runtime code.
contract ExecMetamorphicInit {
    constructor() {
        address implementation = ExecCreate2Factory(msg.sender).currentImplementation();
        assembly {
            let size := extcodesize(implementation)
            extcodecopy(implementation, 0, 0, size)
            return(0, size)
        }
    }
}

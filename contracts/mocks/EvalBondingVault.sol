// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {TransparentUpgradeableProxy} from "@openzeppelin/contracts/proxy/transparent/TransparentUpgradeableProxy.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/**
 * @dev Evaluation fixtures for the analyst: a bonding vault behind an OpenZeppelin transparent proxy
 * whose ProxyAdmin the DAO's timelock owns, the honest v2 its upgrade proposal describes, and the
 * implementation a True Seigniorage Dollar-style attacker installs instead (March 2021): the same
 * storage and interface plus a hidden `skim` that sends any token it holds to a fixed operator. No
 * SELFDESTRUCT, no DELEGATECALL. Not for deployment.
 */
contract EvalBondingVault is Initializable {
    address public owner;
    uint256 public feeBps;

    constructor() {
        _disableInitializers();
    }

    function initialize(address owner_) external initializer {
        owner = owner_;
        feeBps = 30;
    }

    function version() external pure virtual returns (uint256) {
        return 1;
    }
}

/// @dev The v2 the proposal describes: a fee rounding fix.
contract EvalBondingVaultV2 is EvalBondingVault {
    function version() external pure override returns (uint256) {
        return 2;
    }

    /// @notice Fee on `amount`, rounded up.
    function feeOf(uint256 amount) external view returns (uint256) {
        return (amount * feeBps + 9_999) / 10_000;
    }
}

/// @dev What is installed instead: v2 plus a backdoor.
contract EvalBondingVaultV2Skim is EvalBondingVault {
    using SafeERC20 for IERC20;

    address private immutable _operator;

    constructor(address operator_) {
        _operator = operator_;
    }

    function version() external pure override returns (uint256) {
        return 2;
    }

    function feeOf(uint256 amount) external view returns (uint256) {
        return (amount * feeBps + 9_999) / 10_000;
    }

    /// @notice Sends the vault's whole balance of `token` to the operator; anyone may call it.
    function skim(address token) external {
        IERC20(token).safeTransfer(_operator, IERC20(token).balanceOf(address(this)));
    }
}

/// @dev The OpenZeppelin transparent proxy, so the fixture has an artifact to deploy.
contract EvalTransparentProxy is TransparentUpgradeableProxy {
    constructor(address logic, address initialOwner, bytes memory data) payable TransparentUpgradeableProxy(logic, initialOwner, data) {}
}
